package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The packaged relay enforces the rate limits from its flags, started as bin/mcp-relay starts it: from
 * the jar, and on the module path (where Bucket4j must resolve as the automatic modules its manifests
 * name) with the buckets in a Redis of their own.
 */
class RateLimitProcessIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theJarLimitsEachSessionInMemory() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.start("--upstream", upstream.endpoint().toString(), "--limit-per-principal", "2/1m")) {
            assertBurstOfTwoThen429(relay);
        }
    }

    @Test
    void onTheModulePathTheBucketsLiveInTheirOwnRedis() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RedisServerProcess redis = RedisServerProcess.startOnFreePort();
             RelayProcess relay = RelayProcess.startOnModulePath(List.of(), "--upstream", upstream.endpoint().toString(),
                     "--limit-global", "2/1m", "--limit-redis-url", redis.uri().toString())) {
            assertBurstOfTwoThen429(relay);
            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) redis.command("KEYS", "*");
            assertThat(keys).containsExactly("{mcp-relay:l:2/1m:global}");
        }
    }

    private void assertBurstOfTwoThen429(RelayProcess relay) throws Exception {
        HttpResponse<String> opened = post(relay, Optional.empty(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(relay, Optional.of(session), ping(2)).statusCode()).isEqualTo(200);
        assertThat(post(relay, Optional.of(session), ping(3)).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = post(relay, Optional.of(session), ping(4));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).contains("\"id\":4").contains("\"limit\":");
    }

    private static String ping(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}";
    }

    private HttpResponse<String> post(RelayProcess relay, Optional<String> session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", "2025-06-18").timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        session.ifPresent(id -> request.header("Mcp-Session-Id", id));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
