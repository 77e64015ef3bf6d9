package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputRoundTest {

    private static final JsonValue.Obj PARAMS = parseObject("{\"name\":\"trigger-elicitation-request\",\"arguments\":{}}");

    @Test
    void sendsEachInputRequestDownstreamAndRetriesWithTheAnswers() {
        JsonValue.Obj inputRequired = parseObject("""
                {"resultType":"input_required","requestState":"opaque-1",
                 "inputRequests":{
                   "form":{"method":"elicitation/create","params":{"message":"Name?","requestedSchema":{"type":"object"}}},
                   "roots":{"method":"roots/list"}}}""");

        InputRound.Opened opened = InputRound.open(PARAMS, inputRequired, "mcp-relay-s1-");

        assertThat(opened.requests()).extracting(InputRound.ServerRequest::id).containsExactly("mcp-relay-s1-1", "mcp-relay-s1-2");
        assertThat(opened.requests()).extracting(InputRound.ServerRequest::key).containsExactly("form", "roots");
        assertThat(opened.requests().get(0).message()).isEqualTo(parseObject("""
                {"jsonrpc":"2.0","id":"mcp-relay-s1-1","method":"elicitation/create",
                 "params":{"message":"Name?","requestedSchema":{"type":"object"}}}"""));
        assertThat(opened.requests().get(1).message()).isEqualTo(parseObject("""
                {"jsonrpc":"2.0","id":"mcp-relay-s1-2","method":"roots/list","params":{}}"""));

        InputRound round = opened.round();
        assertThat(round.complete()).isFalse();
        round = round.answer("mcp-relay-s1-2", parseObject("{\"roots\":[]}")).orElseThrow();
        assertThat(round.pendingIds()).containsExactly("mcp-relay-s1-1");
        assertThat(round.answer("not-ours", JsonValue.Obj.EMPTY)).isEmpty();
        round = round.answer("mcp-relay-s1-1", parseObject("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}")).orElseThrow();
        assertThat(round.complete()).isTrue();

        assertThat(round.retryParams()).isEqualTo(parseObject("""
                {"name":"trigger-elicitation-request","arguments":{},
                 "inputResponses":{"form":{"action":"accept","content":{"name":"Ada"}},"roots":{"roots":[]}},
                 "requestState":"opaque-1"}"""));
    }

    @Test
    void aSecondRoundReplacesTheFirstRoundsResponsesAndState() {
        JsonValue.Obj retried = parseObject("{\"name\":\"t\",\"inputResponses\":{\"old\":{}},\"requestState\":\"old\"}");
        InputRound.Opened opened = InputRound.open(retried, parseObject("""
                {"resultType":"input_required","inputRequests":{"k":{"method":"sampling/createMessage","params":{"messages":[]}}}}"""), "r2-");
        InputRound done = opened.round().answer("r2-1", parseObject("{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}"))
                .orElseThrow();
        assertThat(done.retryParams()).isEqualTo(parseObject("""
                {"name":"t","inputResponses":{"k":{"role":"assistant","content":{"type":"text","text":"hi"}}}}"""));
    }

    @Test
    void onlyRequestStateMeansRetryAtOnce() {
        InputRound.Opened opened = InputRound.open(PARAMS, parseObject("{\"resultType\":\"input_required\",\"requestState\":\"s\"}"), "x-");
        assertThat(opened.requests()).isEmpty();
        assertThat(opened.round().complete()).isTrue();
        assertThat(opened.round().retryParams()).isEqualTo(PARAMS.with("requestState", JsonValue.str("s")));
    }

    @Test
    void aUrlElicitationGetsTheElicitationIdALegacyClientNeeds() {
        InputRound.Opened opened = InputRound.open(PARAMS, parseObject("""
                {"resultType":"input_required","inputRequests":{
                  "login":{"method":"elicitation/create","params":{"mode":"url","url":"https://x/login","message":"Log in"}},
                  "kept":{"method":"elicitation/create","params":{"mode":"url","url":"https://x","message":"m","elicitationId":"theirs"}}}}"""),
                "u-");
        assertThat(opened.requests().get(0).message().obj("params").orElseThrow().str("elicitationId")).contains("u-1");
        assertThat(opened.requests().get(1).message().obj("params").orElseThrow().str("elicitationId")).contains("theirs");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"content\":[]}",
        "{\"resultType\":\"complete\"}",
        "{\"resultType\":\"input_required\"}",
        "{\"resultType\":\"input_required\",\"requestState\":5}",
        "{\"resultType\":\"input_required\",\"inputRequests\":{\"a\":\"x\"}}",
        "{\"resultType\":\"input_required\",\"inputRequests\":{\"a\":{\"params\":{}}}}"})
    void refusesWhatIsNoInputRequiredResult(String result) {
        assertThatThrownBy(() -> InputRound.open(PARAMS, parseObject(result), "p-")).isInstanceOf(IllegalArgumentException.class);
    }
}
