package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two mcp-relay processes on one Redis; the one relaying a long-running tool call is killed with
 * kill -9 in the middle, and the client resumes through the other with Last-Event-ID.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InstanceCrashProcessIT {

    @RegisterExtension
    final TwoRelaysOnRedis relays = new TwoRelaysOnRedis();
    private final HttpClient http = relays.http;

    private RelayProcess relay(URI upstream) throws Exception {
        return relays.relay(upstream, "--stream-lease", "1s", "--heartbeat-interval", "300ms");
    }

    @Test
    void aClientResumesOnTheOtherInstanceAndGetsEveryRemainingProgressOnceAndTheResult() throws Exception {
        ServerEverything everything = relays.keep(ServerEverything.start());
        RelayProcess a = relay(everything.mcpEndpoint());
        RelayProcess b = relay(everything.mcpEndpoint());
        String session = initialize(a.mcp(), "2025-11-25");

        List<SseTestClient.Event> seen = new ArrayList<>();
        SseTestClient client = SseTestClient.post(http, a.mcp(), session, "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":4,\"steps\":8},\"_meta\":{\"progressToken\":\"crash\"}}}");
        while (seen.stream().noneMatch(e -> e.data().contains("\"progress\""))) {
            seen.add(client.next().orElseThrow());
        }
        a.kill();
        client.close();

        String lastId = seen.getLast().id().orElseThrow();
        assertThat(relays.resume(b.mcp(), session, Map.of("Last-Event-ID", lastId, "MCP-Protocol-Version", "2025-11-25"), seen, e -> false)
                .status()).isEqualTo(200);

        assertThat(SseTestClient.progressOf(seen)).as("every progress notification exactly once, in order").containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(seen.getLast().data()).contains("\"id\":41").contains("\"result\"");
        assertThat(seen.stream().map(e -> e.id().orElse("")).filter(id -> !id.isEmpty()).distinct().count())
                .as("no event id twice").isEqualTo(seen.stream().filter(e -> e.id().isPresent()).count());
    }

    @Test
    void anUpstreamThatCannotResumeEndsTheStreamWithAClearErrorAfterEverythingLogged() throws Exception {
        StubUpstream upstream = relays.keep(StubUpstream.start(InstanceCrashProcessIT::nonResumable));
        RelayProcess a = relay(upstream.endpoint());
        RelayProcess b = relay(upstream.endpoint());
        String session = initialize(a.mcp(), "2025-06-18");

        List<SseTestClient.Event> seen = new ArrayList<>();
        SseTestClient client = SseTestClient.post(http, a.mcp(), session,
                "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}");
        seen.add(client.next().orElseThrow());
        seen.add(client.next().orElseThrow());
        a.kill();
        client.close();

        relays.resume(b.mcp(), session, Map.of("Last-Event-ID", seen.getLast().id().orElseThrow()), seen, e -> false);

        assertThat(SseTestClient.progressOf(seen)).startsWith(1, 2);
        assertThat(seen.getLast().data()).contains("\"id\":42,\"error\"").contains("cannot resume");
    }

    private static void nonResumable(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (!req.method().equals("POST")) {
            res.status(405).send();
            return;
        }
        if (ResumableUpstream.callToAnswer(req, res) == null) {
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (var out = res.outputStream()) {
            for (int i = 1; i <= 50; i++) {
                if (!StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                        + "\"params\":{\"progressToken\":\"t\",\"progress\":" + i + "}}\n\n")) {
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    private String initialize(URI mcp, String version) throws Exception {
        String session = relays.session(mcp, version, "crash");
        http.send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", version)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return session;
    }
}
