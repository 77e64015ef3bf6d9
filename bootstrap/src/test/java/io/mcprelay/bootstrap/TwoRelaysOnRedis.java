package io.mcprelay.bootstrap;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up of the tests that run several relays on one real redis-server, as processes from the
 * packaged jar ({@link #relay}, {@code --store redis}) or in this JVM ({@link #keep} a
 * {@code McpRelayServer} whose options name {@link #redis()}): the Redis (started on first use), every
 * resource a test starts (closed in reverse order after each test), and the HTTP steps they share:
 * initialize a session, POST in it, resume a stream on another instance. Registered as an extension:
 * {@code @RegisterExtension final TwoRelaysOnRedis relays = new TwoRelaysOnRedis();}.
 */
final class TwoRelaysOnRedis implements AfterEachCallback {

    private static final String BOTH = "application/json, text/event-stream";

    /** HTTP/1.1 towards the relays, as clients behind a load balancer talk to them. */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private RedisServerProcess redis;

    /** Closes {@code resource} after the test, before the resources kept earlier. */
    <T extends AutoCloseable> T keep(T resource) {
        synchronized (resources) {
            resources.add(resource);
        }
        return resource;
    }

    /** The redis-server the relays share, started on a free port on first use. */
    synchronized RedisServerProcess redis() {
        if (redis == null) {
            redis = keep(RedisServerProcess.startOnFreePort());
        }
        return redis;
    }

    /** A relay process relaying {@code upstream}, its sessions and replay logs in {@link #redis()}, with {@code options} added. */
    RelayProcess relay(URI upstream, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--upstream", upstream.toString(), "--store", "redis", "--redis-url", redis().uri().toString()));
        args.addAll(List.of(options));
        return keep(RelayProcess.start(args.toArray(String[]::new)));
    }

    /** POSTs {@code initialize} for {@code protocolVersion} as client {@code client}; the answer, whatever it is. */
    HttpResponse<String> initialize(URI mcp, String protocolVersion, String client) throws Exception {
        return http.send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(20))
                .header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"" + protocolVersion + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + client
                        + "\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} (JSON-RPC) in {@code session}, or without a session for null; the answer, whatever it is. */
    HttpResponse<String> post(URI mcp, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(20)).header("Accept", BOTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #initialize} that must succeed: the new session's id. */
    String session(URI mcp, String protocolVersion, String client) throws Exception {
        HttpResponse<String> response = initialize(mcp, protocolVersion, client);
        if (response.statusCode() != 200) {
            throw new AssertionError("initialize answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    /**
     * Resumes a stream with {@code GET} and {@code headers} (its {@code Last-Event-ID} among them),
     * adds every event to {@code seen} until the stream ends, and notes when the first event that
     * {@code marked} accepts arrived.
     */
    Resumed resume(URI mcp, String session, Map<String, String> headers, List<SseTestClient.Event> seen,
                   Predicate<SseTestClient.Event> marked) throws Exception {
        long firstMarkedAt = 0;
        try (SseTestClient resumed = SseTestClient.get(http, mcp, session, headers)) {
            Optional<SseTestClient.Event> next;
            while ((next = resumed.next()).isPresent()) {
                if (firstMarkedAt == 0 && marked.test(next.get())) {
                    firstMarkedAt = System.nanoTime();
                }
                seen.add(next.get());
            }
            return new Resumed(resumed.status(), firstMarkedAt);
        }
    }

    /**
     * What a resume gave.
     *
     * @param status        the HTTP status of the resuming GET
     * @param firstMarkedAt {@link System#nanoTime()} when the first marked event arrived, 0 if none did
     */
    record Resumed(int status, long firstMarkedAt) {
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<AutoCloseable> kept;
        synchronized (resources) {
            kept = new ArrayList<>(resources.reversed());
            resources.clear();
        }
        if (context.getExecutionException().isPresent()) {
            // a failed test's relays say what they saw (the report's -output.txt keeps it): their last lines each
            for (AutoCloseable resource : kept) {
                if (resource instanceof RelayProcess relay) {
                    List<String> lines = relay.output();
                    System.err.println("--- the last " + Math.min(lines.size(), 200) + " lines of relay process " + relay.pid()
                            + " (" + context.getDisplayName() + ")");
                    lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(System.err::println);
                }
            }
        }
        for (AutoCloseable resource : kept) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        synchronized (this) {
            redis = null;
        }
    }
}
