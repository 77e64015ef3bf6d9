package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as users start it: options, start-up, health, and a relayed request. */
class JarProcessIT {

    @Test
    void helpListsTheOptions() throws Exception {
        RelayProcess.Result help = RelayProcess.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--upstream").contains("--port").contains("--bind").contains("--replay-max-events");
    }

    @Test
    void aBadOptionStopsStartUpWithAMessageNamingIt() throws Exception {
        RelayProcess.Result noUpstream = RelayProcess.run("--port", "9");
        RelayProcess.Result badPort = RelayProcess.run("--upstream", "http://127.0.0.1:1/mcp", "--port", "seventy");
        RelayProcess.Result badUrl = RelayProcess.run("--upstream", "ftp://example/mcp");

        assertThat(noUpstream.exitCode()).isEqualTo(2);
        assertThat(noUpstream.output()).contains("--upstream");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.output()).contains("--port").contains("seventy");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.output()).contains("--upstream").contains("ftp://example/mcp");
    }

    @Test
    void jsonLogsNameTheSessionAndNeverCarryCredentials() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.start("--upstream", upstream.endpoint().toString(), "--log-format", "json")) {
            HttpResponse<String> init = HttpClient.newHttpClient().send(HttpRequest.newBuilder(relay.mcp())
                    .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                    .header("Authorization", "Bearer do-not-log-this-secret")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"jar\",\"version\":\"1\"}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (relay.output().stream().noneMatch(l -> l.contains("\"session\":\"" + session + "\"")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(relay.output()).anySatisfy(line -> assertThat(line).startsWith("{").contains("\"session\":\"" + session + "\""));
            assertThat(relay.output()).noneMatch(line -> line.contains("do-not-log-this-secret"));
            assertThat(upstream.mcpRequests().getFirst().header("authorization")).as("credentials are not forwarded by default").isNull();
        }
    }

    @Test
    void theJarServesHealthAndRelaysToItsUpstream() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start(); RelayProcess relay = RelayProcess.start("--upstream", upstream.endpoint().toString())) {
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> init = http.send(HttpRequest.newBuilder(relay.mcp())
                    .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"jar\",\"version\":\"1\"}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(init.statusCode()).isEqualTo(200);
            assertThat(init.headers().firstValue("Mcp-Session-Id")).isPresent();
            assertThat(upstream.mcpRequests()).hasSize(1);
        }
    }
}
