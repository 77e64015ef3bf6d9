package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.INITIALIZE;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.body;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.data;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.inSession;
import static io.mcprelay.application.service.ModernUpstreamBridgeTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayCommands;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.session.ClientKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bridge (a): the refusals it leaves alone, and the answers at the edges. */
class ModernUpstreamBridgeEdgesTest {

    private static final String MODERN_ERROR = "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32022,\"message\":\"no\"}}";

    private static RelayHarness harness(UpstreamEra era) {
        return RelayHarness.builder().era(era).bridgeToModern().build();
    }

    @Test
    void refusalsThatShowNoModernOnlyUpstreamAreRelayedWithoutAProbe() {
        for (UpstreamEra era : new UpstreamEra[] {UpstreamEra.DUAL, UpstreamEra.AUTO}) {
            RelayHarness relay = harness(era);
            relay.upstream().thenAnswer(UpstreamReplies.refusedWith(era == UpstreamEra.DUAL ? 400 : 500, MODERN_ERROR));

            RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

            assertThat(relay.upstream().requestCount()).as("%s", era).isEqualTo(1);
            assertThat(relay.sessions().stored()).isEmpty();
            assertThat(client.head().sessionId()).isEmpty();
        }
        for (var refusal : new io.mcprelay.application.port.out.upstream.UpstreamReply[] {UpstreamReplies.refused(400, "HTTP 400: bad"),
                UpstreamReplies.refusedWith(400, "not json at all"), UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{}}")}) {
            RelayHarness relay = harness(UpstreamEra.AUTO);
            relay.upstream().thenAnswer(refusal);

            relay.post(aPost(INITIALIZE).build());

            assertThat(relay.upstream().requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aHeaderMismatchToInitializeAlsoShowsAModernOnlyUpstream() {
        RelayHarness relay = harness(UpstreamEra.AUTO);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, MODERN_ERROR.replace("-32022", "-32020")))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"result\":{\"supportedVersions\":[\"2026-07-28\"]}}"))
                .thenAnswer(UpstreamReplies.json(ModernUpstreamBridgeTest.DISCOVER));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.head().sessionId()).isPresent();
    }

    @Test
    void anInitializeTooLargeForASessionIsRefused() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        StringBuilder capabilities = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            capabilities.append(i == 0 ? "" : ",").append("\"capability-").append(i).append("\":{}");
        }

        RecordingDownstream client = relay.post(aPost(INITIALIZE.replace("\"capabilities\":{\"elicitation\":{}}",
                "\"capabilities\":{" + capabilities + "}")).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.INVALID_MESSAGE);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void aStreamedListIsLearntAndAnErrorAnswerPassesAsItCame() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":["
                        + "{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}],\"ttlMs\":5}}")))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"bad cursor\"}}"))
                .thenAnswer(UpstreamReplies.json("not json"));

        RecordingDownstream list = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").build());
        RecordingDownstream page = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}").build());
        RecordingDownstream broken = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/list\"}").build());

        assertThat(data(list)).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}}");
        assertThat(page.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"bad cursor\"}}");
        assertThat(broken.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
    }

    @Test
    void aFailedRelistStillSendsTheCallOnce() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32020,\"message\":\"header\"}}"))
                .thenAnswer(UpstreamReplies.unreachable(io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause.TIMEOUT))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32020,\"message\":\"header\"}}"));

        RecordingDownstream call = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}").build());

        assertThat(data(call)).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32020,\"message\":\"header\"}}");
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void strayAnswersAndCancellationsAreTakenAndDropped() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);

        RecordingDownstream numeric = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}").build());
        RecordingDownstream error = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"error\":{\"code\":1,\"message\":\"x\"}}").build());
        RecordingDownstream cancel = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":9}}").build());
        RecordingDownstream cancelNothing = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}").build());

        assertThat(numeric.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(error.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(cancel.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(cancelNothing.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(relay.upstream().requestCount()).isEqualTo(1); // the discover only
    }

    @Test
    void subscriptionsAreBoundedAndAListenThatCannotBeReopenedIsLeftAsItIs() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        BlockingEventSource listen = new BlockingEventSource().push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}");
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(listen));
        CountDownLatch first = new CountDownLatch(1);
        RecordingDownstream get = new RecordingDownstream().onEmit(e -> {
            if (!e.data().isEmpty()) {
                first.countDown();
            }
        });
        CompletableFuture<RecordingDownstream> stream = CompletableFuture.supplyAsync(() -> relay.get(new OpenStreamCommand(Optional.of(session),
                Optional.of("2025-11-25"), Optional.empty(), Map.of(), ClientKey.UNKNOWN), get), Executors.newVirtualThreadPerTaskExecutor());
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        relay.upstream().otherwiseAnswer(sent -> UpstreamReplies.refused(400, "HTTP 400: no"));

        for (int i = 0; i < ModernUpstreamBridge.MAX_SUBSCRIPTIONS; i++) {
            assertThat(relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"resources/subscribe\","
                    + "\"params\":{\"uri\":\"r:" + i + "\"}}").build()).bodyText()).contains("\"result\":{}");
        }
        RecordingDownstream over = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"resources/subscribe\","
                + "\"params\":{\"uri\":\"r:99\"}}").build());
        relay.delete(RelayCommands.aDelete().inSession(session).withProtocolVersion("2025-11-25").build());
        stream.get(5, TimeUnit.SECONDS);

        assertThat(over.bodyText()).contains("-32602").contains("at most " + ModernUpstreamBridge.MAX_SUBSCRIPTIONS);
        assertThat(listen.isClosed()).isTrue();
        assertThat(body(relay.upstream().requests().getLast())).contains("\"resourceSubscriptions\":[\"r:0\"");
    }

    @Test
    void anUpstreamAnsweringListenWithJsonGivesNoGetStream() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"result\":{}}"));

        RecordingDownstream get = relay.get(new OpenStreamCommand(Optional.of(session), Optional.of("2025-11-25"), Optional.empty(), Map.of(),
                ClientKey.UNKNOWN));

        assertThat(get.rejection().reason()).isEqualTo(RejectionReason.STREAM_NOT_OFFERED);
    }

    @Test
    void endingOneSessionLeavesAnothersCallsAlone() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String one = open(relay);
        String two = open(relay);
        BlockingEventSource slow = new BlockingEventSource();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(slow));
        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> relay.post(inSession(two,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}").build()),
                Executors.newVirtualThreadPerTaskExecutor());
        ModernUpstreamBridgeTest.awaitRequests(relay, 3);

        relay.delete(RelayCommands.aDelete().inSession(one).withProtocolVersion("2025-11-25").build());
        Thread.sleep(50);
        assertThat(slow.isClosed()).isFalse();
        relay.delete(RelayCommands.aDelete().inSession(two).withProtocolVersion("2025-11-25").build());

        assertThat(slow.awaitClosed(5_000)).isTrue();
        call.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerToAQuestionGetsInWhileTheCallHoldsTheSessionsOnlyPlace() throws Exception {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN).bridgeToModern().settings(new RelaySettings(
                io.mcprelay.domain.access.HeaderPolicy.defaults(), 32, new io.mcprelay.domain.session.SessionShare(1, 1),
                io.mcprelay.domain.session.ClientQuota.defaults())).build();
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"resultType\":\"input_required\","
                        + "\"inputRequests\":{\"form\":{\"method\":\"elicitation/create\",\"params\":{}}}}}"))
                .thenAnswer(sent -> UpstreamReplies.json(body(sent).replaceAll("^\\{\"jsonrpc\":\"2.0\",(\"id\":\"[^\"]+\").*",
                        "{\"jsonrpc\":\"2.0\",$1,\"result\":{\"content\":[]}}")));
        CountDownLatch asked = new CountDownLatch(1);
        RecordingDownstream stream = new RecordingDownstream().onEmit(e -> {
            if (e.data().contains("elicitation/create")) {
                asked.countDown();
            }
        });
        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}").build(), stream),
                Executors.newVirtualThreadPerTaskExecutor());
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        String ourId = data(stream).stream().filter(d -> d.contains("elicitation/create")).findFirst().orElseThrow()
                .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

        RecordingDownstream busy = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}").build());
        RecordingDownstream answer = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":\"" + ourId
                + "\",\"result\":{\"action\":\"accept\",\"content\":{}}}").build());
        call.get(5, TimeUnit.SECONDS);

        assertThat(busy.rejection().reason()).isEqualTo(RejectionReason.SESSION_BUSY); // a request still needs a place
        assertThat(answer.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(data(stream).getLast()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"content\":[]}}");
    }
}
