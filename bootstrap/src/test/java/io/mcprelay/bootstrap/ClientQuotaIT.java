package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One client cannot hold every session (issue 16, item 8), against the real relay over loopback with
 * both stores. "Another client" is another source address: the test binds its HTTP client to
 * 127.0.0.2 (Linux routes all of 127.0.0.0/8 to the loopback interface), so the relay sees a
 * different peer address, its client key.
 */
class ClientQuotaIT {

    private static final String HOG = "127.0.0.1";
    private static final String OTHER = "127.0.0.2";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private void start(String store, int maxSessions, int perClient) throws Exception {
        upstream = MiniMcpUpstream.start();
        resources.add(upstream);
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())).withMaxSessions(maxSessions)
                .withFairness(new FairnessOptions(FairnessOptions.DEFAULT_MAX_STREAMS_PER_UPSTREAM, SessionShare.defaults(),
                        new ClientQuota(perClient)));
        if (store.equals("redis")) {
            RedisServerProcess redis = RedisServerProcess.startOnFreePort();
            resources.add(redis);
            options = options.withStore(StoreOptions.redis(redis.uri()));
        }
        relay = McpRelayServer.start(options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void oneAddressFillingTheStoreDoesNotLockAnotherOut(String store) throws Exception {
        start(store, 5, ClientQuota.DEFAULT_MAX_SESSIONS_PER_CLIENT);
        List<String> hogSessions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> opened = initialize(HOG);
            assertThat(opened.statusCode()).as("the hog replaces its own sessions").isEqualTo(200);
            hogSessions.add(opened.headers().firstValue("Mcp-Session-Id").orElseThrow());
        }

        HttpResponse<String> other = initialize(OTHER);

        assertThat(other.statusCode()).isEqualTo(200);
        String otherSession = other.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(ping(OTHER, otherSession).statusCode()).isEqualTo(200);
        assertThat(ping(HOG, hogSessions.getLast()).statusCode()).as("the hog's newest session lives").isEqualTo(200);
        assertThat(ping(HOG, hogSessions.getFirst()).statusCode()).as("its oldest was evicted").isEqualTo(404);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).filteredOn("DELETE"::equals)
                .as("each evicted session ended upstream too").hasSize(12 + 1 - 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aClientAtItsQuotaLosesItsOwnOldestSessionAndNoOneElses(String store) throws Exception {
        start(store, 100, 3);
        String others = initialize(OTHER).headers().firstValue("Mcp-Session-Id").orElseThrow();
        List<String> hogSessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hogSessions.add(initialize(HOG).headers().firstValue("Mcp-Session-Id").orElseThrow());
        }

        assertThat(ping(HOG, hogSessions.get(0)).statusCode()).isEqualTo(404);
        assertThat(ping(HOG, hogSessions.get(1)).statusCode()).isEqualTo(404);
        for (String kept : hogSessions.subList(2, 5)) {
            assertThat(ping(HOG, kept).statusCode()).isEqualTo(200);
        }
        assertThat(ping(OTHER, others).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> initialize(String from) throws Exception {
        return client(from).send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ping(String from, String session) throws Exception {
        return client(from).send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private final java.util.Map<String, HttpClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    /** An HTTP client whose connections come from {@code address}. */
    private HttpClient client(String address) {
        return clients.computeIfAbsent(address, a -> {
            try {
                return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(InetAddress.getByName(a))
                        .connectTimeout(Duration.ofSeconds(5)).build();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
