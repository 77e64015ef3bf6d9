package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.Messages;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.stream.SseEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModernRelayTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}";

    static String call(String id, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{\"region\":\"eu\"}," + META + "}}";
    }

    static String request(String id, String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + META + "}}";
    }

    private static RelayHarness modernRelay() {
        return RelayHarness.builder().era(UpstreamEra.MODERN).build();
    }

    @Test
    void aModernCallNeedsNoSessionAndTravelsStatelesslyWithItsRoutingHeaders() {
        RelayHarness relay = modernRelay();
        relay.upstream().thenAnswer(UpstreamReplies.json(Messages.result("1")));

        RecordingDownstream client = relay.post(aPost(call("1", "echo")).modern("tools/call", "echo")
                .withHeader("Mcp-Param-Region", "eu").withHeader("Mcp-Param-Unknown", "kept").withHeader("Mcp-Session-Id", "stale").build());

        assertThat(client.bodyText()).isEqualTo(Messages.result("1"));
        assertThat(client.head().sessionId()).isEmpty();
        ScriptedUpstream.Sent sent = relay.upstream().onlyRequest();
        assertThat(sent.sessionId()).isEmpty();
        assertThat(sent.protocolVersion()).isEmpty();
        assertThat(sent.client()).containsEntry("MCP-Protocol-Version", MODERN).containsEntry("Mcp-Method", "tools/call")
                .containsEntry("Mcp-Name", "echo").containsEntry("Mcp-Param-Region", "eu").containsEntry("Mcp-Param-Unknown", "kept")
                .doesNotContainKey("Mcp-Session-Id");
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo(call("1", "echo"));
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(relay.metrics().eras).containsExactly(ProtocolEra.MODERN);
    }

    @Test
    void aHeaderThatDoesNotMatchTheBodyIsRefusedBeforeAnythingIsSent() {
        RelayHarness relay = modernRelay();

        RecordingDownstream client = relay.post(aPost(call("5", "echo")).modern("tools/call", "other").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("5"));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.metrics().onlyRequest().outcome()).isEqualTo("modern_header_mismatch");
    }

    @Test
    void theUpstreamsRefusalsPassThroughAndANotFoundIsNoLostSession() {
        RelayHarness relay = modernRelay();
        String unknown = Messages.error("2", -32601, "Method not found");
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(404, unknown));

        RecordingDownstream client = relay.post(aPost(request("2", "bogus/method")).modern("bogus/method", null).build());

        assertThat(client.status()).isEqualTo(404);
        assertThat(client.bodyText()).isEqualTo(unknown);
        assertThat(relay.metrics().onlyRequest().outcome()).isEqualTo("upstream_refused");
    }

    @Test
    void noUpstreamServingTheModernEraAnswersMinus32022WithTheVersionsServed() {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.LEGACY).build();

        RecordingDownstream client = relay.post(aPost(request("3", "server/discover")).modern("server/discover", null).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MODERN_VERSION_UNSUPPORTED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("3"));
        assertThat(client.rejection().dataJson().orElseThrow()).contains("\"2025-11-25\"").contains("\"requested\":\"" + MODERN + "\"")
                .doesNotContain("\"supported\":[\"" + MODERN);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void anAutoUpstreamIsProbedOnceWithServerDiscoverBeforeTheFirstModernRequest() {
        RelayHarness relay = RelayHarness.create();
        relay.upstream()
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"result\":{\"supportedVersions\":[\""
                        + MODERN + "\",\"2025-11-25\"],\"capabilities\":{}}}"))
                .thenAnswer(UpstreamReplies.json(Messages.result("1")))
                .thenAnswer(UpstreamReplies.json(Messages.result("2")));

        relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());
        RecordingDownstream second = relay.post(aPost(request("2", "tools/list")).modern("tools/list", null).build());

        assertThat(second.bodyText()).isEqualTo(Messages.result("2"));
        assertThat(relay.upstream().requestCount()).isEqualTo(3);
        String probe = new String(relay.upstream().requests().getFirst().body(), StandardCharsets.UTF_8);
        assertThat(probe).contains("\"method\":\"server/discover\"").contains(MODERN);
        assertThat(relay.catalog().eraOf("primary")).contains("auto: modern (" + MODERN + ", 2025-11-25)");
    }

    @Test
    void anAutoUpstreamThatAnswersTheProbeTheLegacyWayTakesNoModernRequest() {
        RelayHarness relay = RelayHarness.create();
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, Messages.error("\"mcp-relay-discover\"", -32000,
                "Bad Request: Mcp-Session-Id header is required")));

        RecordingDownstream client = relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MODERN_VERSION_UNSUPPORTED);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
        assertThat(relay.catalog().eraOf("primary")).contains("auto: legacy");
    }

    @Test
    void aConnectFailureIsRetriedOnTheNextModernUpstream() {
        UpstreamTarget second = new UpstreamTarget("second", URI.create("http://second.test:3001/mcp"));
        RelayHarness relay = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, second).era(UpstreamEra.DUAL).build();
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT))
                .thenAnswer(UpstreamReplies.json(Messages.result("1")));

        RecordingDownstream client = relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());

        assertThat(client.bodyText()).isEqualTo(Messages.result("1"));
        assertThat(relay.upstream().requests()).extracting(s -> s.target().name()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void anEventStreamIsRelayedWithoutEventIdsAndEndsWithItsAnswer() {
        RelayHarness relay = modernRelay();
        ScriptedEventSource events = ScriptedEventSource.of(ScriptedEventSource.priming("up-0"),
                ScriptedEventSource.event("up-1", Messages.progress("t", 1)), ScriptedEventSource.event("up-2", Messages.result("1")),
                ScriptedEventSource.event("up-3", Messages.notification("never/sent")));
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(events));

        RecordingDownstream client = relay.post(aPost(call("1", "echo")).modern("tools/call", "echo").build());

        assertThat(client.eventData()).containsExactly(Messages.progress("t", 1), Messages.result("1"));
        assertThat(client.events()).allSatisfy(e -> assertThat(e.id()).isEmpty());
        assertThat(events.isClosed()).isTrue();
        
    }

    @Test
    void theClientLeavingItsStreamClosesTheUpstreamRequestAtOnce() {
        RelayHarness relay = modernRelay();
        BlockingEventSource events = new BlockingEventSource();
        events.push(Messages.progress("t", 1)).push(Messages.progress("t", 2));
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(events));

        RecordingDownstream client = relay.post(aPost(call("1", "slow")).modern("tools/call", "slow").build(), RecordingDownstream.goneAfter(1));

        assertThat(events.isClosed()).isTrue();
        assertThat(client.eventData()).containsExactly(Messages.progress("t", 1));
    }

    @Test
    void theUpstreamEndingBeforeTheAnswerGivesTheClientAnErrorNeverAResend() {
        RelayHarness relay = modernRelay();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.event(Messages.progress("t", 1)),
                ScriptedEventSource.broken("reset"))));

        RecordingDownstream client = relay.post(aPost(call("1", "echo")).modern("tools/call", "echo").build());

        assertThat(client.eventData()).hasSize(2);
        assertThat(client.eventData().get(1)).contains("\"id\":1").contains("-32603");
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void listenIsLongLivedAndBoundedPerClient() throws Exception {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN)
                .settings(new RelaySettings(io.mcprelay.domain.access.HeaderPolicy.defaults(), 32,
                        new io.mcprelay.domain.session.SessionShare(8, 1), io.mcprelay.domain.session.ClientQuota.defaults()))
                .build();
        BlockingEventSource events = new BlockingEventSource();
        events.push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}");
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(events));
        RecordingDownstream first = new RecordingDownstream();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "subscriptions/listen")).modern("subscriptions/listen", null).from("10.0.0.1").build(), first));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (first.events().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(relay.upstream().onlyRequest().budget()).isEqualTo(UpstreamPort.Budget.STREAM);

        RecordingDownstream second = relay.post(aPost(request("2", "subscriptions/listen")).modern("subscriptions/listen", null)
                .from("10.0.0.1").build());
        assertThat(second.rejection().reason()).isEqualTo(RejectionReason.SESSION_BUSY);
        assertThat(second.rejection().requestId()).contains(new RequestId.NumericId("2"));

        events.push(Messages.result("1"));
        running.get(10, TimeUnit.SECONDS);
        assertThat(first.eventData()).hasSize(2);
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(Messages.result("3"))));
        RecordingDownstream third = relay.post(aPost(request("3", "subscriptions/listen")).modern("subscriptions/listen", null)
                .from("10.0.0.1").build());
        assertThat(third.eventData()).containsExactly(Messages.result("3"));
    }

    @Test
    void rulesMatchModernTrafficByMethodAndTool() {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN).rules(new InterceptRule("no-danger",
                new RuleMatch(Set.of(Direction.REQUEST), Optional.of(new Glob("tools/call")), Optional.of(new Glob("danger")), Optional.empty(),
                        Optional.empty()), new RuleAction.Block(-32003, "blocked"))).build();

        RecordingDownstream client = relay.post(aPost(call("9", "danger")).modern("tools/call", "danger").build());

        assertThat(client.bodyText()).contains("-32003").contains("\"id\":9");
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void anInputRequiredResultPassesThroughUnchanged() {
        RelayHarness relay = modernRelay();
        String inputRequired = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"resultType\":\"input_required\",\"inputRequests\":{\"k\":"
                + "{\"method\":\"elicitation/create\",\"params\":{}}},\"requestState\":\"opaque\"}}";
        relay.upstream().thenAnswer(UpstreamReplies.json(inputRequired));

        assertThat(relay.post(aPost(call("1", "ask")).modern("tools/call", "ask").build()).bodyText()).isEqualTo(inputRequired);
    }

    @Test
    void legacyTrafficIsUnchangedAndItsRefusalAnswersTheRequestsId() {
        RelayHarness relay = modernRelay();

        RecordingDownstream client = relay.post(aPost(Messages.request("4", "tools/list")).withProtocolVersion("2025-11-25").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MISSING_SESSION_ID);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("4"));
        assertThat(relay.metrics().eras).containsExactly(ProtocolEra.LEGACY);
    }

    @Test
    void aModernNotificationIsAccepted() {
        RelayHarness relay = modernRelay();
        relay.upstream().thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = relay.post(aPost(Messages.notification("notifications/progress")).withProtocolVersion(MODERN).build());

        assertThat(client.status()).isEqualTo(202);
        assertThat(relay.upstream().onlyRequest().sessionId()).isEmpty();
    }

    @Test
    void noReachableModernUpstreamIs503NotAnEraError() {
        RelayHarness relay = modernRelay();
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT));

        RecordingDownstream client = relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
    }

    @Test
    void aSilentStreamWhoseClientLeftIsFoundByTheHeartbeatAndClosed() throws Exception {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN)
                .streamSettings(new StreamSettings(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(60), 256)).build();
        BlockingEventSource events = new BlockingEventSource();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(events));

        CompletableFuture<RecordingDownstream> running = CompletableFuture.supplyAsync(() ->
                relay.post(aPost(call("1", "slow")).modern("tools/call", "slow").build(), RecordingDownstream.goneAfter(0)));

        assertThat(events.awaitClosed(10_000)).as("released at once, no disconnect grace").isTrue();
        assertThat(running.get(10, TimeUnit.SECONDS).eventData()).isEmpty();
    }

    @Test
    void aLiveSilentStreamGetsHeartbeats() throws Exception {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN)
                .streamSettings(new StreamSettings(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(60), 256)).build();
        BlockingEventSource events = new BlockingEventSource();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(events));
        RecordingDownstream client = new RecordingDownstream();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "subscriptions/listen")).modern("subscriptions/listen", null).build(), client));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.comments().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        events.push(Messages.result("1"));
        running.get(10, TimeUnit.SECONDS);

        assertThat(client.comments()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(client.eventData()).containsExactly(Messages.result("1"));
        assertThat(relay.metrics().streamsOpened.get()).isEqualTo(1);
    }

    @Test
    void rulesSeeModernEventsAndCanAnswerOrRewriteRequests() {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.MODERN).rules(
                new InterceptRule("no-logs", new RuleMatch(Set.of(Direction.EVENT), Optional.of(new Glob("notifications/message")),
                        Optional.empty(), Optional.empty(), Optional.empty()), new RuleAction.Block(-32003, "no")),
                new InterceptRule("fake-list", new RuleMatch(Set.of(Direction.REQUEST), Optional.of(new Glob("prompts/list")), Optional.empty(),
                        Optional.empty(), Optional.empty()), new RuleAction.Mock("{\"prompts\":[]}")),
                new InterceptRule("hide-region", new RuleMatch(Set.of(Direction.REQUEST), Optional.of(new Glob("tools/call")), Optional.empty(),
                        Optional.empty(), Optional.empty()), new RuleAction.Redact("/params/arguments/region", "\"xx\"")),
                new InterceptRule("drop-progress", new RuleMatch(Set.of(Direction.REQUEST), Optional.of(new Glob("notifications/progress")),
                        Optional.empty(), Optional.empty(), Optional.empty()), new RuleAction.Block(-32003, "no"))).build();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(Messages.notification("notifications/message"),
                "not json", Messages.result("1"))));

        RecordingDownstream call = relay.post(aPost(call("1", "echo")).modern("tools/call", "echo").build());
        RecordingDownstream mocked = relay.post(aPost(request("2", "prompts/list")).modern("prompts/list", null).build());
        RecordingDownstream dropped = relay.post(aPost("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{" + META + "}}")
                .withProtocolVersion(MODERN).build());

        assertThat(call.eventData()).containsExactly("not json", Messages.result("1"));
        assertThat(new String(relay.upstream().onlyRequest().body(), StandardCharsets.UTF_8)).contains("\"region\":\"xx\"");
        assertThat(mocked.bodyText()).contains("\"prompts\":[]").contains("\"id\":2");
        assertThat(dropped.status()).isEqualTo(202);
    }

    @Test
    void theSentEventsCarryNoIds() {
        assertThat(new SseEvent(Optional.empty(), Optional.empty(), "x", Optional.empty()).id()).isEmpty();
    }
}
