package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.bootstrap.StoreOptions.Kind;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions and replay logs in different stores, end to end: two mcp-relay instances on one real
 * redis-server, over real HTTP, once with sessions in Redis and replay logs in memory, once the other
 * way round. What a client gets where is what docs/distributed.md ("Sessions and replay logs apart")
 * says; nothing hangs or fails with a 500, and Redis holds only what the options put there (the
 * stream leases and the instances' liveness go with the replay logs).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MixedStoresIT {

    private static final String PREFIX = "mcp-relay";

    @RegisterExtension
    final TwoRelaysOnRedis relays = new TwoRelaysOnRedis();
    private final HttpClient http = relays.http;
    private RedisServerProcess redis;
    private McpRelayServer a;
    private McpRelayServer b;

    private void startRelays(Kind sessions, Kind log) {
        redis = relays.redis();
        StubUpstream upstream = relays.keep(MiniMcpUpstream.start());
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withStore(new StoreOptions(Kind.MEMORY, sessions, log, Optional.of(redis.uri()), PREFIX, true));
        a = relays.keep(McpRelayServer.start(options));
        b = relays.keep(McpRelayServer.start(options));
    }

    @Test
    void sessionsInRedisLogsInMemoryEveryInstanceServesTheSessionButOnlyTheOwnerReplaysItsStreams() throws Exception {
        startRelays(Kind.REDIS, Kind.MEMORY);
        String session = initialize(a);

        HttpResponse<String> callOnB = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
        assertThat(callOnB.statusCode()).as("the session is shared").isEqualTo(200);
        assertThat(callOnB.body()).contains("\"id\":2,\"result\"");

        SseTestClient.Event first = firstEventOfAStreamOn(a, session);
        String lastEventId = first.id().orElseThrow();

        long asked = System.nanoTime();
        HttpResponse<String> resumeOnB = resume(b, session, lastEventId);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("answered at once, no hang").isLessThan(Duration.ofSeconds(10));
        assertThat(resumeOnB.statusCode()).as(resumeOnB.body()).isEqualTo(400);
        assertThat(resumeOnB.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(resumeOnB.body()).contains("\"jsonrpc\":\"2.0\"").contains("\"error\"")
                .contains("names no stream or position of this session on this instance")
                .contains("another instance relayed the stream: each instance keeps its own replay logs");

        List<SseTestClient.Event> rest = replay(a, session, lastEventId);
        assertThat(rest).as("the instance that relayed the stream replays it").isNotEmpty();
        assertThat(rest.getLast().data()).contains("\"id\":3,\"result\"").contains("\"tools\"");

        assertThat(keys()).as("Redis holds the session, no replay log, no lease and no liveness mark")
                .contains("{" + PREFIX + ":s}:id:" + session)
                .noneMatch(k -> k.startsWith("{" + PREFIX + ":e")).noneMatch(k -> k.startsWith("{" + PREFIX + ":i}"));

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(mcp(b)).header("Mcp-Session-Id", session).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(post(a, session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}").statusCode()).as("deleted for both").isEqualTo(404);
        assertThat(ready(a).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionsInMemoryLogsInRedisSessionsStayOnTheirInstanceAndReplayComesFromRedis() throws Exception {
        startRelays(Kind.MEMORY, Kind.REDIS);
        String session = initialize(a);

        HttpResponse<String> callOnB = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
        assertThat(callOnB.statusCode()).as("the session lives on A only").isEqualTo(404);
        assertThat(callOnB.body()).contains("\"jsonrpc\":\"2.0\"").contains("\"error\"");
        HttpResponse<String> callOnA = post(a, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
        assertThat(callOnA.statusCode()).isEqualTo(200);

        SseTestClient.Event first = firstEventOfAStreamOn(a, session);
        String lastEventId = first.id().orElseThrow();
        String stream = lastEventId.substring(0, lastEventId.indexOf(':'));

        List<SseTestClient.Event> rest = replay(a, session, lastEventId);
        assertThat(rest.getLast().data()).contains("\"id\":3,\"result\"").contains("\"tools\"");
        HttpResponse<String> resumeOnB = resume(b, session, lastEventId);
        assertThat(resumeOnB.statusCode()).as("B does not know the session: the client initializes again").isEqualTo(404);

        List<String> keys = keys();
        assertThat(keys).as("the replay log is in Redis").contains("{" + PREFIX + ":e:" + stream + "}:meta", "{" + PREFIX + ":e:" + stream + "}:events");
        assertThat(keys).as("no session in Redis").noneMatch(k -> k.startsWith("{" + PREFIX + ":s}"));
        assertThat(keys.stream().filter(k -> k.startsWith("{" + PREFIX + ":i}:"))).as("both instances' liveness marks, beside the logs")
                .hasSize(2);
        assertThat(redis.command("HGET", "{" + PREFIX + ":e:" + stream + "}:meta", "owner")).as("the stream's lease, with its log")
                .asString().isNotBlank();

        redis.stop();
        HttpResponse<String> readyWhileDown = ready(a);
        HttpResponse<String> pingWhileDown = post(a, session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
        redis.start();

        assertThat(readyWhileDown.statusCode()).isEqualTo(503);
        assertThat(readyWhileDown.body()).contains("DOWN").contains("replay log store unreachable");
        assertThat(pingWhileDown.statusCode()).as("a JSON answer needs no replay log").isEqualTo(200);
        assertThat(awaitReady(a).statusCode()).isEqualTo(200);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Opens a streamed call ({@code tools/list}, which the upstream answers as an event stream), reads its first event and drops the connection. */
    private SseTestClient.Event firstEventOfAStreamOn(McpRelayServer relay, String session) throws Exception {
        try (SseTestClient client = SseTestClient.post(http, mcp(relay), session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}")) {
            assertThat(client.status()).isEqualTo(200);
            return client.next().orElseThrow();
        }
    }

    private List<SseTestClient.Event> replay(McpRelayServer relay, String session, String lastEventId) throws Exception {
        List<SseTestClient.Event> events = new ArrayList<>();
        assertThat(relays.resume(mcp(relay), session, Map.of("Last-Event-ID", lastEventId), events, e -> false).status()).isEqualTo(200);
        return events;
    }

    private HttpResponse<String> resume(McpRelayServer relay, String session, String lastEventId) throws Exception {
        return send(HttpRequest.newBuilder(mcp(relay)).header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("Last-Event-ID", lastEventId).GET());
    }

    @SuppressWarnings("unchecked")
    private List<String> keys() {
        return ((List<Object>) redis.command("KEYS", "*")).stream().map(String::valueOf).toList();
    }

    private String initialize(McpRelayServer relay) throws Exception {
        return relays.session(mcp(relay), "2025-06-18", "mixed");
    }

    private HttpResponse<String> post(McpRelayServer relay, String session, String body) throws Exception {
        return relays.post(mcp(relay), session, body);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ready(McpRelayServer relay) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health/ready")));
    }

    private HttpResponse<String> awaitReady(McpRelayServer relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> health;
        do {
            Thread.sleep(100);
            health = ready(relay);
        } while (health.statusCode() != 200 && System.nanoTime() < deadline);
        return health;
    }

    private static URI mcp(McpRelayServer relay) {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
