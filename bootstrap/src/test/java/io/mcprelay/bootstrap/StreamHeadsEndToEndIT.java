package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.bootstrap.SseEventReader.SseEvent;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * The head of a stream goes out as soon as the upstream accepted it, not with its first event, and
 * every stream of a 2025-11-25 session starts with our priming event (id {@code <stream>:0}, empty
 * data, a {@code retry:} hint), from which a client whose connection broke before any real event
 * resumes the stream and gets exactly what came after. Real relay, real reference server
 * ({@code @modelcontextprotocol/server-everything}), raw HTTP over loopback.
 *
 * <p>The relay's heartbeat is five minutes here, so nothing but the head itself (and our priming
 * event) can reach the client within the seconds the tests wait for the head.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamHeadsEndToEndIT {

    private static final String PROTOCOL = "2025-11-25";
    private static final String BOTH = "application/json, text/event-stream";
    /** How long a head may take: far less than the heartbeat, and less than the upstream's first event. */
    private static final Duration HEAD_WITHIN = Duration.ofSeconds(6);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    @RegisterExtension
    static final RelayOverEverything EVERYTHING = new RelayOverEverything(options -> options.withStreams(new StreamSettings(Duration.ofMinutes(5), Duration.ofSeconds(60), 64)));

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // one TCP connection per stream, closed when the test drops it
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        for (AutoCloseable closeable : toClose.reversed()) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort: the test's assertions already ran
            }
        }
        http.shutdownNow();
    }

    @Test
    void getStreamHeadArrivesAtOnceWithOurPrimingEventAndResumesFromIt() throws Exception {
        String session = initialize();

        // the reference server sends nothing on its GET stream until simulated logging is on
        HttpResponse<InputStream> get = stream(get(session, Optional.empty()).timeout(HEAD_WITHIN).build());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(get.headers().firstValue("Mcp-Session-Id")).hasValue(session);
        assertThat(get.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        SseEventReader events = new SseEventReader(get.body());
        SseEvent priming = events.next().orElseThrow();
        assertPriming(priming);
        String stream = priming.id().substring(0, priming.id().lastIndexOf(':'));

        toggleSimulatedLogging(session);
        SseEvent logged = events.next().orElseThrow();
        assertThat(logged.id()).isEqualTo(stream + ":1");
        assertThat(json(logged.data())).containsEntry("method", "notifications/message");
        events.close();

        HttpResponse<InputStream> resumed = stream(get(session, Optional.of(priming.id())).timeout(HEAD_WITHIN).build());
        assertThat(resumed.statusCode()).isEqualTo(200);
        SseEvent first = new SseEventReader(resumed.body()).next().orElseThrow();
        assertThat(first).as("exactly what came after the priming event, not the priming event again").isEqualTo(logged);
        toggleSimulatedLogging(session);
    }

    @Test
    void postStreamHeadArrivesBeforeTheFirstEventAndABreakBeforeItResumesFromThePrimingId() throws Exception {
        String session = initialize();
        // the upstream's first event (progress 1 of 2) comes 8 s after the request: the head may not wait for it
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"trigger-long-running-operation\","
                + "\"arguments\":{\"duration\":16,\"steps\":2},\"_meta\":{\"progressToken\":\"heads\"}}}";

        HttpResponse<InputStream> posted = stream(post(session, call).timeout(HEAD_WITHIN).build());

        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        SseEvent priming = new SseEventReader(posted.body()).next().orElseThrow();
        assertPriming(priming);
        posted.body().close(); // the connection breaks before any real event

        HttpResponse<InputStream> resumed = stream(get(session, Optional.of(priming.id())).build());
        List<SseEvent> rest = readToEnd(resumed.body());

        String stream = priming.id().substring(0, priming.id().lastIndexOf(':'));
        assertThat(rest).extracting(SseEvent::id).containsExactly(stream + ":1", stream + ":2", stream + ":3");
        assertThat(rest).extracting(sse -> json(sse.data()).get("method")).containsExactly("notifications/progress",
                "notifications/progress", null);
        assertThat(json(rest.get(2).data())).containsEntry("id", 7).containsKey("result");
    }

    private static void assertPriming(SseEvent priming) {
        assertThat(priming.id()).matches("[A-Za-z0-9_-]{1,64}:0");
        assertThat(priming.data()).isEmpty();
        assertThat(priming.retry()).as("the priming event's retry hint").isEqualTo("1000");
    }

    // ---------------------------------------------------------------- raw HTTP helpers

    /** initialize (2025-11-25) and notifications/initialized; returns the relay's session id. */
    private String initialize() throws IOException, InterruptedException {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + PROTOCOL
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-relay-e2e-heads\",\"version\":\"1.0\"}}}";
        HttpResponse<InputStream> initialized = http.send(post(null, init).build(), HttpResponse.BodyHandlers.ofInputStream());
        readToEnd(initialized.body());
        assertThat(initialized.statusCode()).isEqualTo(200);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> notified = http.send(post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notified.statusCode()).isEqualTo(202);
        return session;
    }

    private void toggleSimulatedLogging(String session) throws IOException, InterruptedException {
        HttpResponse<InputStream> answer = http.send(post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"toggle-simulated-logging\",\"arguments\":{}}}").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        readToEnd(answer.body());
    }

    /** Sends a request whose answer is a stream; returns as soon as its head arrived. */
    private HttpResponse<InputStream> stream(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        toClose.add(response.body());
        return response;
    }

    private static HttpRequest.Builder post(String session, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(relayEndpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", BOTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            builder.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL);
        }
        return builder;
    }

    private static HttpRequest.Builder get(String session, Optional<String> lastEventId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(relayEndpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", PROTOCOL)
                .GET();
        lastEventId.ifPresent(id -> builder.header("Last-Event-ID", id));
        return builder;
    }

    private static URI relayEndpoint() {
        return URI.create("http://127.0.0.1:" + EVERYTHING.relay().port() + "/mcp");
    }

    private static List<SseEvent> readToEnd(InputStream body) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseEventReader reader = new SseEventReader(body)) {
            for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                events.add(next.get());
            }
        }
        return events;
    }

    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeRef<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + text, e);
        }
    }
}
