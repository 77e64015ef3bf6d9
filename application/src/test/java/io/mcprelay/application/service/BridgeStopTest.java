package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.service.LegacyBridgeMrtrTest.call;
import static io.mcprelay.application.service.LegacyBridgeMrtrTest.retry;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.inSession;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.bridge.RequestStateSealer;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the bridges let go of upstream, and how their clients learn of it, when this instance stops. */
class BridgeStopTest {

    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
            + "\"serverInfo\":{\"name\":\"everything\",\"version\":\"1.0\"}}";
    private static final String ELICIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"elicitation/create\",\"params\":{\"message\":\"name?\","
            + "\"requestedSchema\":{\"type\":\"object\"}}}";
    private static final String INPUT_REQUIRED = "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"resultType\":\"input_required\","
            + "\"inputRequests\":{\"form\":{\"method\":\"elicitation/create\",\"params\":{}}},\"requestState\":\"s1\"}}";
    private static final ModernToLegacy.PoolKey KEY = new ModernToLegacy.PoolKey("primary", "", "{\"elicitation\":{}}");
    private static final ModernEnvelope ENVELOPE = new ModernEnvelope(ProtocolEra.FIRST_MODERN, JsonText.parseObject("{\"elicitation\":{}}"),
            Optional.empty(), Optional.empty());

    private final RelayHarness relay = RelayHarness.builder().era(UpstreamEra.LEGACY)
            .settings(RelaySettings.defaults().withBridgeLegacy(true)).build();
    private final BridgePool pool = new BridgePool(relay.upstream(), relay.codec(), 8, 64, relay.clock(), Duration.ofMinutes(5),
            (task, wait) -> { }, relay.metrics());
    private final LegacyBridge bridge = new LegacyBridge(relay.upstream(), relay.catalog(), relay.streams(), pool,
            new UpstreamAnswers(relay.streams()), new RequestStateSealer(new byte[32], "test-instance"), (task, wait) -> { });

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.initialized(sent, INIT_RESULT);
    }

    private static String body(ScriptedUpstream.Sent sent) {
        return sent.text();
    }

    private RecordingDownstream post(String body) {
        RecordingDownstream client = new RecordingDownstream();
        RelayMessageCommand command = aPost(body).modern(JsonText.parseObject(body).str("method").orElseThrow(), "ask").build();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        bridge.relay(((DecodedPayload.Decoded) relay.codec().decode(bytes)).payload(), bytes, command, ClientContext.NONE, client);
        return client;
    }

    private BridgePool.Pooled lease() {
        return ((BridgePool.Lease.Taken) pool.lease(KEY, RelayHarness.PRIMARY, ENVELOPE, ClientContext.NONE)).session();
    }

    @Test
    void aParkedCallIsCancelledUpstreamItsSessionEndedAndItsRetryRefused() {
        relay.upstream().thenAnswer(BridgeStopTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(ELICIT)))
                .thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));
        String token = JsonText.parseObject(first.eventData().getLast()).obj("result").orElseThrow().str("requestState").orElseThrow();
        assertThat(bridge.parked()).isEqualTo(1);

        int ended = bridge.stop(Duration.ofSeconds(5));

        assertThat(ended).isEqualTo(1);
        assertThat(bridge.parked()).isZero();
        List<ScriptedUpstream.Sent> sent = relay.upstream().requests();
        assertThat(body(sent.get(3))).contains("notifications/cancelled").contains("\"requestId\":1").contains("mcp-relay is stopping");
        assertThat(sent.get(3).sessionId().orElseThrow().value()).isEqualTo("up-1");
        assertThat(sent.get(4).kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(pool.held(KEY)).isZero();
        assertThat(relay.metrics().bridge).containsExactly("opened", "parked", "unparked:stopped", "closed:ended");

        RecordingDownstream late = post(retry("2", token, "{\"q1\":{\"action\":\"accept\"}}"));

        assertThat(late.bodyText()).contains("\"code\":-32602").contains("its call has ended");
        assertThat(relay.upstream().requests()).hasSize(5);
    }

    @Test
    void idleSessionsAreEndedAtOnceAndALeasedOneWhenItComesBack() {
        relay.upstream().otherwiseAnswer(BridgeStopTest::initialized);
        BridgePool.Pooled busy = lease();
        BridgePool.Pooled idle = lease();
        pool.giveBack(idle);

        int ended = bridge.stop(Duration.ofSeconds(5));

        assertThat(ended).isEqualTo(1);
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).hasSize(1);
        assertThat(pool.idle()).isZero();
        assertThat(pool.held(KEY)).isEqualTo(1);

        pool.giveBack(busy);

        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).hasSize(2);
        assertThat(pool.idle()).isZero();
        assertThat(pool.held(KEY)).isZero();
        assertThat(relay.metrics().bridge).containsExactly("opened", "opened", "closed:stopped", "closed:stopped");
    }

    @Test
    void nothingHeldIsNothingToEndAndNothingIsParkedOnceStopped() {
        assertThat(bridge.stop(Duration.ofSeconds(5))).isZero();
        assertThat(relay.upstream().requests()).isEmpty();

        relay.upstream().thenAnswer(BridgeStopTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(ELICIT)))
                .thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream asked = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));

        assertThat(bridge.parked()).isZero();
        assertThat(body(relay.upstream().requests().get(3))).contains("\"id\":0").contains("this mcp-relay instance is stopping");
        assertThat(asked.eventData().getLast()).contains("\"id\":1").contains("\"error\"");
    }

    @Test
    void endingsRunSideBySideAndTheWaitForThemIsBounded() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean quick = new AtomicBoolean();
        long began = System.nanoTime();

        int finished = LegacyBridge.endAll(List.of(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> {
            throw new IllegalStateException("upstream gone");
        }, () -> quick.set(true)), Duration.ofMillis(200));

        assertThat(finished).isEqualTo(2); // the failed one finished too
        assertThat(quick).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
        never.countDown();
    }

    @Test
    void aStopInterruptedWhileWaitingReturnsWithTheInterruptKept() {
        CountDownLatch never = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            assertThat(LegacyBridge.endAll(List.of(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), Duration.ofSeconds(30))).isZero();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
            never.countDown();
        }
    }

    @Test
    void withoutTheBridgesTheRelayHasNothingToEnd() {
        RelayHarness plain = RelayHarness.create();

        assertThat(plain.relay().endBridgeRounds()).isZero();
        assertThat(plain.relay().endBridgeUpstreams(Duration.ofSeconds(1))).isZero();
        assertThat(relay.relay().endBridgeUpstreams(Duration.ofSeconds(1))).isZero(); // bridge (b) on, holding nothing
        assertThat(plain.upstream().requests()).isEmpty();
    }

    @Test
    void aRoundWaitingForItsClientEndsWithAnErrorAndSoDoesOneOpenedAfterwards() throws Exception {
        RelayHarness modern = RelayHarness.builder().era(UpstreamEra.MODERN).bridgeToModern().build();
        String session = open(modern);
        modern.upstream().thenAnswer(UpstreamReplies.json(INPUT_REQUIRED))
                .thenAnswer(UpstreamReplies.json(INPUT_REQUIRED.replace("\"id\":5", "\"id\":6")));
        CountDownLatch asked = new CountDownLatch(1);
        RecordingDownstream stream = new RecordingDownstream().onEmit(e -> {
            if (e.data().contains("elicitation/create")) {
                asked.countDown();
            }
        });
        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> modern.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}").build(), stream),
                Executors.newVirtualThreadPerTaskExecutor());
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        int sentBefore = modern.upstream().requests().size();

        assertThat(modern.relay().endBridgeRounds()).isEqualTo(1);
        call.get(5, TimeUnit.SECONDS);

        assertThat(stream.eventData().getLast()).contains("\"id\":5").contains("\"code\":-32603")
                .contains("Service Unavailable: this mcp-relay instance is stopping");
        assertThat(modern.upstream().requests()).hasSize(sentBefore); // no retry went upstream

        RecordingDownstream later = modern.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}").build());

        assertThat(later.eventData()).anyMatch(d -> d.contains("elicitation/create"));
        assertThat(later.eventData().getLast()).contains("\"id\":6").contains("is stopping");
        assertThat(modern.relay().endBridgeRounds()).isZero();
    }
}
