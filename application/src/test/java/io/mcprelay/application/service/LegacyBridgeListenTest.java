package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bridge (b): subscriptions/listen served from a 2025-era upstream's standalone stream and resources/subscribe. */
class LegacyBridgeListenTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{\"listChanged\":true},"
            + "\"prompts\":{},\"resources\":{\"subscribe\":true}},\"serverInfo\":{\"name\":\"everything\",\"version\":\"1.0\"}}";
    private static final String FILTER = "{\"toolsListChanged\":true,\"promptsListChanged\":true,\"resourcesListChanged\":false,"
            + "\"resourceSubscriptions\":[\"a://1\",\"a://2\",7,\"a://1\"]}";

    private static RelayHarness bridged() {
        return RelayHarness.builder().era(UpstreamEra.LEGACY).settings(RelaySettings.defaults().withBridgeLegacy(true)).build();
    }

    private static String listen(String id, String filter) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"subscriptions/listen\",\"params\":{\"notifications\":" + filter + ","
                + META + "}}";
    }

    private static RecordingDownstream post(RelayHarness relay, String body, RecordingDownstream client) {
        return relay.post(aPost(body).modern("subscriptions/listen", null).build(), client);
    }

    private static String idOf(ScriptedUpstream.Sent sent) {
        return body(sent).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + idOf(sent) + "\",\"result\":" + INIT_RESULT + "}", "up-1");
    }

    private static UpstreamReply ok(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + idOf(sent) + "\",\"result\":{}}");
    }

    private static String body(ScriptedUpstream.Sent sent) {
        return new String(sent.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theListenIsAcknowledgedWithTheHonouredFilterAndGetsWhatItAskedForTaggedTillTheUpstreamEnds() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeListenTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/prompts/list_changed\"}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":\"a://1\"}}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":\"a://3\"}}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\"}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}",
                        "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"roots/list\"}",
                        "{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":{}}",
                        "not json")))
                .thenAnswer(LegacyBridgeListenTest::ok) // subscribe a://1
                .thenAnswer(sent -> UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"id\":\"" + idOf(sent) + "\",\"error\":{\"code\":-32602,\"message\":\"no\"}}"))) // a://2
                .thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted()) // ping, roots/list answered
                .thenAnswer(LegacyBridgeListenTest::ok) // unsubscribe a://1
                .thenAnswer(UpstreamReplies.accepted()); // DELETE

        RecordingDownstream client = post(relay, listen("\"listen:1\"", FILTER), new RecordingDownstream());

        String tag = "\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":\"listen:1\"}";
        assertThat(client.eventData()).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{\"notifications\":"
                        + "{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"a://1\"]}," + tag + "}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":{" + tag + "}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":\"a://1\"," + tag + "}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"listen:1\",\"result\":{" + tag + "}}");
        List<ScriptedUpstream.Sent> sent = relay.upstream().requests();
        assertThat(sent.get(2).kind()).isEqualTo(ScriptedUpstream.Kind.LISTEN);
        assertThat(body(sent.get(3))).contains("resources/subscribe").contains("a://1");
        assertThat(body(sent.get(4))).contains("resources/subscribe").contains("a://2");
        assertThat(body(sent.get(5))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}");
        assertThat(body(sent.get(6))).contains("\"id\":10").contains("-32601");
        assertThat(body(sent.get(7))).contains("resources/unsubscribe").contains("a://1");
        assertThat(sent.get(8).kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
        assertThat(relay.metrics().streamsOpened.get()).isEqualTo(1);
    }

    @Test
    void anUpstreamWithoutAStandaloneStreamHonoursNothingAndTheListenEndsAtOnce() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeListenTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.noStream()).thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = post(relay, listen("2", FILTER), new RecordingDownstream());

        assertThat(client.eventData()).hasSize(2);
        assertThat(client.eventData().getFirst()).contains("\"notifications\":{}");
        assertThat(client.eventData().getLast()).contains("\"id\":2,\"result\"");
        assertThat(relay.upstream().requests().get(3).kind()).isEqualTo(ScriptedUpstream.Kind.END);
    }

    @Test
    void withoutSubscribeOfferedNoUriIsSubscribedAndPrimingEventsAreSkipped() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(sent -> UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + idOf(sent)
                        + "\",\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"resources\":{\"listChanged\":true}}}}", "up-2"))
                .thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.priming("e0"),
                        ScriptedEventSource.event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/list_changed\"}"))))
                .thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = post(relay, listen("5", "{\"resourcesListChanged\":true,\"resourceSubscriptions\":[\"a://1\"]}"),
                new RecordingDownstream());

        assertThat(client.eventData()).hasSize(3);
        assertThat(client.eventData().getFirst()).contains("\"notifications\":{\"resourcesListChanged\":true}");
        assertThat(client.eventData().get(1)).contains("notifications/resources/list_changed");
        assertThat(relay.upstream().requests()).hasSize(4); // no resources/subscribe
    }

    @Test
    void aClientThatLeavesEndsTheListenAndItsSession() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeListenTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}")))
                .thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = post(relay, listen("3", "{\"toolsListChanged\":true}"), RecordingDownstream.goneAfter(1));

        assertThat(client.eventData()).hasSize(1);
        assertThat(relay.upstream().requests()).hasSize(4);
        assertThat(relay.upstream().requests().get(3).kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(relay.metrics().streamsClosed.get()).isEqualTo(1);
    }

    @Test
    void listensHoldSessionsOfTheirOwnWithinTheUpstreamsBound() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT));

        RecordingDownstream client = post(relay, listen("4", "{}"), new RecordingDownstream());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
    }
}
