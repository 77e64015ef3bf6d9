package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.bridge.ParkedQuestions.Question;
import io.mcprelay.domain.bridge.ParkedQuestions.Translation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParkedQuestionsTest {

    private static final Question FORM = new Question(JsonValue.Num.of(0), "elicitation/create",
            parseObject("{\"message\":\"Name?\",\"requestedSchema\":{\"type\":\"object\"}}"));
    private static final Question URL = new Question(JsonValue.str("u7"), "elicitation/create",
            parseObject("{\"mode\":\"url\",\"url\":\"https://x\",\"message\":\"m\",\"elicitationId\":\"e-1\"}"));
    private static final Question SAMPLING = new Question(JsonValue.Num.of(1), "sampling/createMessage", parseObject("{\"messages\":[]}"));
    private static final Question ROOTS = new Question(JsonValue.Num.of(2), "roots/list", JsonValue.Obj.EMPTY);

    @Test
    void asksTheModernClientWithAnInputRequiredResult() {
        Translation translation = ParkedQuestions.toInputRequired(List.of(FORM, URL),
                parseObject("{\"elicitation\":{\"form\":{},\"url\":{}}}"), "sealed-token");

        Translation.Ask ask = (Translation.Ask) translation;
        assertThat(ask.inputRequiredResult()).isEqualTo(parseObject("""
                {"resultType":"input_required","requestState":"sealed-token","inputRequests":{
                  "q1":{"method":"elicitation/create","params":{"message":"Name?","requestedSchema":{"type":"object"}}},
                  "q2":{"method":"elicitation/create","params":{"mode":"url","url":"https://x","message":"m"}}}}"""));
        assertThat(ask.upstreamIdsByKey()).containsExactlyInAnyOrderEntriesOf(Map.of("q1", JsonValue.Num.of(0), "q2", JsonValue.str("u7")));
    }

    @Test
    void anEmptyElicitationCapabilityMeansFormOnly() {
        assertThat(ParkedQuestions.toInputRequired(List.of(FORM), parseObject("{\"elicitation\":{}}"), "t")).isInstanceOf(Translation.Ask.class);
        assertThat(ParkedQuestions.toInputRequired(List.of(URL), parseObject("{\"elicitation\":{}}"), "t")).isInstanceOf(Translation.Refuse.class);
        assertThat(ParkedQuestions.toInputRequired(List.of(FORM), parseObject("{\"elicitation\":{\"url\":{}}}"), "t"))
                .isInstanceOf(Translation.Refuse.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|elicitation",
        "{\"elicitation\":{}}|sampling",
        "{\"elicitation\":{},\"sampling\":{}}|roots"})
    void refusesAQuestionTheRequestDidNotDeclareACapabilityFor(String capabilities, String missing) {
        Translation translation = ParkedQuestions.toInputRequired(List.of(FORM, SAMPLING, ROOTS), parseObject(capabilities), "t");
        assertThat(translation).isInstanceOf(Translation.Refuse.class);
        assertThat(((Translation.Refuse) translation).reason()).contains(missing);
    }

    @Test
    void asksForEveryKindWhenEverythingIsDeclared() {
        Translation translation = ParkedQuestions.toInputRequired(List.of(FORM, SAMPLING, ROOTS),
                parseObject("{\"elicitation\":{\"form\":{}},\"sampling\":{},\"roots\":{}}"), "t");
        assertThat(((Translation.Ask) translation).upstreamIdsByKey()).containsOnlyKeys("q1", "q2", "q3");
    }

    @Test
    void refusesAQuestionWithoutAModernCounterpart() {
        Question ping = new Question(JsonValue.Num.of(3), "ping", JsonValue.Obj.EMPTY);
        Translation translation = ParkedQuestions.toInputRequired(List.of(ping), parseObject("{\"elicitation\":{}}"), "t");
        assertThat(translation).isEqualTo(new Translation.Refuse(ping, "ping has no 2026-07-28 counterpart"));
    }

    @Test
    void postsEachAnswerUpstreamWithTheUpstreamsIdAndNamesTheMissingOnes() {
        JsonValue.Obj retry = parseObject("""
                {"name":"t","inputResponses":{"q2":{"action":"accept"},"zz":{}},"requestState":"tok"}""");
        ParkedQuestions.Answers answers = ParkedQuestions.answersForUpstream(retry,
                Map.of("q1", JsonValue.Num.of(0), "q2", JsonValue.str("u7")));
        assertThat(answers.responses()).containsExactly(parseObject("{\"jsonrpc\":\"2.0\",\"id\":\"u7\",\"result\":{\"action\":\"accept\"}}"));
        assertThat(answers.missingKeys()).containsExactly("q1");

        assertThat(ParkedQuestions.answersForUpstream(parseObject("{\"name\":\"t\"}"), Map.of("q1", JsonValue.Num.of(0))).missingKeys())
                .containsExactly("q1");
    }

    @Test
    void onlyThreeMethodsMayRequireInput() {
        assertThat(ParkedQuestions.mayRequireInput("tools/call")).isTrue();
        assertThat(ParkedQuestions.mayRequireInput("prompts/get")).isTrue();
        assertThat(ParkedQuestions.mayRequireInput("resources/read")).isTrue();
        assertThat(ParkedQuestions.mayRequireInput("tools/list")).isFalse();
    }
}
