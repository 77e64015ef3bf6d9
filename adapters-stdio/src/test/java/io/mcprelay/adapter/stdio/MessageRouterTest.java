package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageRouterTest {

    private static final Duration NOW = Duration.ZERO;
    private final MessageRouter router = new MessageRouter(2, 8, Duration.ofMillis(50));

    private static JsonRpcMessage.Request request(WireMessage m) {
        return (JsonRpcMessage.Request) m.message();
    }

    private static String next(StreamQueue q, long token) throws InterruptedException {
        return switch (q.poll(token, Duration.ofSeconds(1)).orElseThrow()) {
            case StreamQueue.Message m -> "#" + m.cursor() + " " + Wire.text(m.message());
            case StreamQueue.End e -> "end " + e.cause();
        };
    }

    @Test
    void anAnswerAndTheProgressOfItsTokenGoToTheRequestsStreamAndEndIt() throws Exception {
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"_meta\":{\"progressToken\":\"p\"}}}");
        StreamQueue stream = router.open(request(call), call.progressToken());
        long me = stream.attach();

        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p\",\"progress\":1}}"));
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\"}}"));
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));

        assertThat(next(stream, me)).startsWith("#1 ").contains("notifications/progress");
        assertThat(next(stream, me)).startsWith("#2 ").contains("\"result\"");
        assertThat(next(stream, me)).isEqualTo("end ANSWERED");
        long standalone = router.standalone().attach();
        assertThat(next(router.standalone(), standalone)).startsWith("#1 ").contains("notifications/message");
    }

    @Test
    void serverRequestsGoToTheStandaloneStream() throws Exception {
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"sampling/createMessage\",\"params\":{}}"));
        long me = router.standalone().attach();
        assertThat(next(router.standalone(), me)).contains("sampling/createMessage");
    }

    @Test
    void aFullStandaloneStreamDropsNotificationsAndRefusesServerRequests() throws Exception {
        MessageRouter.Routed first = router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}"));
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"b\"}"));
        MessageRouter.Routed dropped = router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"c\"}"));
        MessageRouter.Routed refused = router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"roots/list\"}"));
        assertThat(first.delivered()).isTrue();
        assertThat(dropped.delivered()).isFalse();
        assertThat(dropped.refuse()).isFalse();
        assertThat(refused.refuse()).isTrue();
        assertThat(new String(MessageRouter.refusal(new RequestId.StringId("s1"), "no \"client\""), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"error\":{\"code\":-32603,\"message\":\"no \\\"client\\\"\"}}");
    }

    @Test
    void answersToUnknownOrForgottenIdsAreDropped() throws Exception {
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"ping\"}");
        StreamQueue stream = router.open(request(call), call.progressToken());
        router.forget(request(call), stream);
        assertThat(router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{}}")).where()).isEqualTo("unknown id");
        assertThat(router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,\"message\":\"m\"}}")).delivered()).isFalse();
        assertThat(router.pendingCount()).isZero();
        assertThat(router.standalone().size()).isZero();
    }

    @Test
    void anErrorAnswerEndsItsRequestsStream() throws Exception {
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}");
        StreamQueue stream = router.open(request(call), call.progressToken());
        long me = stream.attach();
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"unknown tool\"}}"));
        assertThat(next(stream, me)).contains("unknown tool");
        assertThat(next(stream, me)).isEqualTo("end ANSWERED");
    }

    @Test
    void aDuplicateIdInFlightIsRefused() throws Exception {
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        router.open(request(call), call.progressToken());
        assertThatThrownBy(() -> router.open(request(call), call.progressToken())).isInstanceOf(MessageRouter.DuplicateIdException.class).hasMessageContaining("already in flight");
    }

    @Test
    void closingEndsEveryStreamAndRefusesNewRequests() throws Exception {
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}");
        StreamQueue stream = router.open(request(call), call.progressToken());
        long me = stream.attach();
        router.closeAll("the process exited with status 1");
        assertThat(next(stream, me)).isEqualTo("end PROCESS_ENDED");
        assertThat(next(router.standalone(), router.standalone().attach())).isEqualTo("end PROCESS_ENDED");
        assertThatThrownBy(() -> router.open(request(Wire.of("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}")), java.util.Optional.empty()))
                .isInstanceOf(MessageRouter.ClosedException.class).hasMessageContaining("status 1");
    }

    @Test
    void aSlowConsumerLosesItsStreamInsteadOfStallingTheProcess() throws Exception {
        MessageRouter small = new MessageRouter(2, 1, Duration.ofMillis(20));
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"_meta\":{\"progressToken\":6}}}");
        StreamQueue stream = small.open(request(call), call.progressToken());
        long me = stream.attach();
        String progress = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":6}}";
        assertThat(small.route(Wire.of(progress)).delivered()).isTrue();
        assertThat(small.route(Wire.of(progress)).delivered()).isFalse();
        assertThat(next(stream, me)).startsWith("#1");
        assertThat(next(stream, me)).isEqualTo("end OVERFLOW");
    }

    @Test
    void aSecondConsumerTakesTheStandaloneStreamOver() throws Exception {
        long first = router.standalone().attach();
        long second = router.standalone().attach();
        router.route(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"));
        assertThat(next(router.standalone(), first)).isEqualTo("end REPLACED");
        assertThat(next(router.standalone(), second)).contains("list_changed");
        assertThat(router.standalone().poll(second, NOW)).isEmpty();
    }
}
