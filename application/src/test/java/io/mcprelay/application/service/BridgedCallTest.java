package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The multi round-trip side of bridge (a), one call at a time. */
class BridgedCallTest {

    private static final JsonValue.Obj REQUEST = JsonText.parseObject("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}");
    private static final String ASK = "{\"resultType\":\"input_required\",\"inputRequests\":{\"k\":{\"method\":\"elicitation/create\",\"params\":{}}}}";

    private final Map<String, BridgedCall> registered = new ConcurrentHashMap<>();
    private final List<JsonValue.Obj> resent = new ArrayList<>();

    private BridgedCall call(UpstreamEvents source, Function<JsonValue.Obj, UpstreamReply> resend, Duration wait) {
        return new BridgedCall(REQUEST, source, r -> {
            resent.add(r);
            return resend.apply(r);
        }, r -> r, new BridgedCall.Registry() {
            @Override
            public void register(String ourId, BridgedCall c) {
                registered.put(ourId, c);
            }

            @Override
            public void unregister(String ourId) {
                registered.remove(ourId);
            }
        }, "q-", wait);
    }

    private static String answer(String id, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
    }

    private static String data(UpstreamEvents.Read read) {
        return ((UpstreamEvents.Read.Event) read).event().data();
    }

    @Test
    void aClientThatDoesNotAnswerInTimeGetsAnErrorAndTheQuestionIsForgotten() {
        BridgedCall call = call(BridgedCall.single(answer("5", ASK).getBytes()), r -> UpstreamReplies.accepted(), Duration.ofMillis(20));

        assertThat(data(call.next())).contains("elicitation/create").contains("\"id\":\"q-1-1\"");
        assertThat(call.waitingFor()).containsExactly("q-1-1");
        assertThat(data(call.next())).contains("\"id\":5").contains("did not answer");
        assertThat(call.next()).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(registered).isEmpty();
        assertThat(resent).isEmpty();
    }

    @Test
    void anEndedRoundGivesTheClientTheErrorAtOnceAndSendsNothingUpstream() {
        BridgedCall call = call(BridgedCall.single(answer("5", ASK).getBytes()), r -> UpstreamReplies.accepted(), Duration.ofMinutes(5));
        assertThat(call.endRound("stopping")).isFalse(); // no round open yet

        assertThat(data(call.next())).contains("elicitation/create");
        assertThat(call.endRound("Service Unavailable: stopping")).isTrue();
        assertThat(call.endRound("again")).isFalse();

        assertThat(data(call.next())).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32603,"
                + "\"message\":\"Service Unavailable: stopping\"}}");
        assertThat(call.next()).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(registered).isEmpty();
        assertThat(resent).isEmpty();
    }

    @Test
    void roundsAreBounded() {
        Function<JsonValue.Obj, UpstreamReply> again = r -> UpstreamReplies.json(answer(r.get("id").orElseThrow().toJson(),
                "{\"resultType\":\"input_required\",\"requestState\":\"s\"}"));
        BridgedCall call = call(BridgedCall.single(answer("5", "{\"resultType\":\"input_required\",\"requestState\":\"s\"}").getBytes()),
                again, Duration.ofSeconds(1));

        String last = data(call.next());

        assertThat(last).contains("\"id\":5").contains("more than " + BridgedCall.MAX_ROUNDS);
        assertThat(resent).hasSize(BridgedCall.MAX_ROUNDS);
        assertThat(resent.getLast().obj("params").orElseThrow().str("requestState")).contains("s");
    }

    @Test
    void anUnusableInputRequiredResultEndsTheCall() {
        BridgedCall call = call(BridgedCall.single(answer("5", "{\"resultType\":\"input_required\"}").getBytes()), r -> null, Duration.ofSeconds(1));

        assertThat(data(call.next())).contains("\"id\":5").contains("unusable");
    }

    @Test
    void aRetryTheUpstreamCannotTakeEndsTheCallWithAnError() {
        BridgedCall call = call(BridgedCall.single(answer("5", "{\"resultType\":\"input_required\",\"requestState\":\"s\"}").getBytes()),
                r -> UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.DROPPED), Duration.ofSeconds(1));

        assertThat(data(call.next())).contains("\"id\":5").contains("did not answer the retry");
    }

    @Test
    void closingWhileWaitingForTheClientEndsTheStreamAndClosesTheUpstream() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource().push(answer("5", ASK));
        BridgedCall call = call(upstream, r -> null, Duration.ofSeconds(30));
        assertThat(data(call.next())).contains("elicitation/create");
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.close();
        });

        UpstreamEvents.Read read = call.next();
        closer.join();

        assertThat(read).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(upstream.isClosed()).isTrue();
        assertThat(registered).isEmpty();
        assertThat(call.answer("q-1-1", JsonValue.obj("result", JsonValue.Obj.EMPTY))).isFalse();
        assertThat(call.endRound("stopping")).isFalse();
    }

    @Test
    void answersToOtherIdsAndWithoutARoundAreNotTaken() {
        BridgedCall call = call(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"roots/list\"}", answer("5", "{}")),
                r -> null, Duration.ofSeconds(1));

        assertThat(call.answer("q-1-1", JsonValue.obj("result", JsonValue.Obj.EMPTY))).isFalse();
        assertThat(data(call.next())).isEqualTo(answer("5", "{}")); // a request from a modern upstream is not passed on
        assertThat(call.next()).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(call.method()).isEqualTo("tools/call");
    }

    @Test
    void anUpstreamThatBreaksIsPassedOnAsItBroke() {
        BridgedCall call = call(ScriptedEventSource.of(ScriptedEventSource.broken("reset")), r -> null, Duration.ofSeconds(1));

        assertThat(call.next()).isEqualTo(new UpstreamEvents.Read.Broken("reset"));
    }
}
