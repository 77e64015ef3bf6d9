package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.application.fixtures.BlockingEventSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bridge (b): interception rules apply to bridged requests, their JSON answers and their stream events. */
class LegacyBridgeInterceptionTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}},\"io.modelcontextprotocol/logLevel\":\"info\"}";
    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"logging\":{}},"
            + "\"serverInfo\":{\"name\":\"everything\",\"version\":\"1.0\"}}";

    private static InterceptRule rule(String name, Direction direction, String method, String tool, RuleAction action) {
        return new InterceptRule(name, new RuleMatch(Set.of(direction), Optional.of(new Glob(method)),
                Optional.ofNullable(tool).map(Glob::new), Optional.empty(), Optional.empty()), action);
    }

    private static RelayHarness bridged(InterceptRule... rules) {
        return RelayHarness.builder().era(UpstreamEra.LEGACY).settings(RelaySettings.defaults().withBridgeLegacy(true)).rules(rules).build();
    }

    static String call(String id, String method, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{"
                + (tool == null ? "" : "\"name\":\"" + tool + "\",\"arguments\":{\"region\":\"eu\"},") + META + "}}";
    }

    private static RecordingDownstream post(RelayHarness relay, String id, String method, String tool) {
        return relay.post(aPost(call(id, method, tool)).modern(method, tool).build());
    }

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.initialized(sent, INIT_RESULT);
    }

    private static UpstreamReply levelSet(ScriptedUpstream.Sent sent) {
        String id = body(sent).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        return UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}");
    }

    private static String body(ScriptedUpstream.Sent sent) {
        return sent.text();
    }

    @Test
    void aBlockedOrMockedRequestIsAnsweredHereAndARedactedOneTravelsRedacted() {
        RelayHarness relay = bridged(rule("no-danger", Direction.REQUEST, "tools/call", "danger", new RuleAction.Block(-32003, "blocked")),
                rule("fake-prompts", Direction.REQUEST, "prompts/list", null, new RuleAction.Mock("{\"prompts\":[]}")),
                rule("hide-region", Direction.REQUEST, "tools/call", "safe", new RuleAction.Redact("/params/arguments/region", "\"xx\"")));
        relay.upstream().thenAnswer(LegacyBridgeInterceptionTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(LegacyBridgeInterceptionTest::levelSet)
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"content\":[]}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"content\":[]}}"));

        assertThat(post(relay, "1", "tools/call", "danger").bodyText()).contains("-32003").contains("\"id\":1");
        assertThat(post(relay, "2", "prompts/list", null).bodyText()).contains("\"prompts\":[]").contains("\"id\":2");
        assertThat(post(relay, "3", "tools/call", "safe").bodyText()).contains("\"resultType\":\"complete\"");

        assertThat(post(relay, "4", "tools/call", "other").bodyText()).contains("\"id\":4"); // no rule matches: as it came
        List<ScriptedUpstream.Sent> sent = relay.upstream().requests();
        assertThat(sent).hasSize(5);
        assertThat(body(sent.get(4))).contains("\"region\":\"eu\"");
        assertThat(body(sent.get(2))).contains("logging/setLevel").contains("\"level\":\"info\"");
        assertThat(body(sent.get(3))).contains("\"region\":\"xx\"").doesNotContain("io.modelcontextprotocol/");
    }

    @Test
    void rulesApplyToBridgedAnswersAndEventsAndTheLogLevelIsSetOncePerSession() {
        RelayHarness relay = bridged(rule("hide-list", Direction.RESPONSE, "tools/list", null, new RuleAction.Mock("{\"tools\":[]}")),
                rule("no-logs", Direction.EVENT, "notifications/message", null, new RuleAction.Block(-32003, "no")));
        relay.upstream().thenAnswer(LegacyBridgeInterceptionTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(LegacyBridgeInterceptionTest::levelSet)
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"secret\"}]}}"))
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}")));

        RecordingDownstream list = post(relay, "1", "tools/list", null);
        RecordingDownstream call = post(relay, "2", "tools/call", "slow");

        assertThat(list.bodyText()).doesNotContain("secret").contains("\"tools\":[]");
        assertThat(call.eventData()).hasSize(2);
        assertThat(call.eventData().getFirst()).contains("notifications/progress");
        assertThat(relay.upstream().requests()).hasSize(5); // setLevel once: the session already has "info"
        assertThat(relay.metrics().streamsOpened.get()).isEqualTo(1);
        assertThat(relay.metrics().streamsClosed.get()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatRefusesTheLogLevelIsAskedAgainNextTime() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeInterceptionTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"error\":{\"code\":-32601,\"message\":\"no\"}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))
                .thenAnswer(sent -> UpstreamReplies.eventStream(ScriptedEventSource.ofData(levelSetData(sent))))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));

        post(relay, "1", "ping", null);
        post(relay, "2", "ping", null);
        post(relay, "3", "ping", null);

        assertThat(relay.upstream().requests()).extracting(LegacyBridgeInterceptionTest::body)
                .filteredOn(b -> b.contains("logging/setLevel")).hasSize(2);
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void aSilentBridgedStreamGetsHeartbeatsAndOneWhoseClientLeftIsCancelledUpstream() throws Exception {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.LEGACY).settings(RelaySettings.defaults().withBridgeLegacy(true))
                .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofSeconds(60), 256)).build();
        BlockingEventSource live = new BlockingEventSource();
        BlockingEventSource left = new BlockingEventSource();
        relay.upstream().thenAnswer(LegacyBridgeInterceptionTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(LegacyBridgeInterceptionTest::levelSet)
                .thenAnswer(UpstreamReplies.eventStream(live))
                .thenAnswer(UpstreamReplies.eventStream(left))
                .thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> running = CompletableFuture.runAsync(() ->
                relay.post(aPost(call("1", "tools/call", "slow")).modern("tools/call", "slow").build(), client));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.comments().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        live.push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        running.get(10, TimeUnit.SECONDS);

        assertThat(client.comments()).hasSizeGreaterThanOrEqualTo(2);
        RecordingDownstream gone = relay.post(aPost(call("2", "tools/call", "slow")).modern("tools/call", "slow").build(),
                RecordingDownstream.goneAfter(0));

        assertThat(left.awaitClosed(10_000)).isTrue();
        assertThat(gone.eventData()).isEmpty();
        List<ScriptedUpstream.Sent> sent = relay.upstream().requests();
        assertThat(body(sent.get(5))).contains("notifications/cancelled").contains("\"requestId\":2");
        assertThat(sent.get(6).kind()).isEqualTo(ScriptedUpstream.Kind.END);
    }

    private static String levelSetData(ScriptedUpstream.Sent sent) {
        String id = body(sent).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}";
    }
}
