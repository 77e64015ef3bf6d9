package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcprelay.bootstrap.SseEventReader.SseEvent;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.StreamId;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Streams end to end: progress, sampling and elicitation relayed on a POST's SSE stream between the
 * official MCP Java SDK client and the reference server {@code @modelcontextprotocol/server-everything},
 * and, over raw HTTP so the test owns the connection, a client that drops mid-stream and resumes it
 * with {@code Last-Event-ID} from mcp-relay's replay log.
 *
 * <p>Timing is never asserted: only order and content, under generous bounds.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StreamingEndToEndIT {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String PROTOCOL = "2025-11-25";
    private static final String BOTH = "application/json, text/event-stream";
    /** Our event ids: {@code <stream>:<sequence>}, the stream 1 to 64 URL-safe characters, the sequence without leading zeros. */
    private static final Pattern OUR_EVENT_ID = Pattern.compile("([A-Za-z0-9_-]{1,64}):(0|[1-9][0-9]{0,17})");
    private static final Pattern UUID = Pattern.compile(
            "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    @RegisterExtension
    static final RelayOverEverything EVERYTHING = new RelayOverEverything();

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
        http.shutdownNow(); // nothing of a test outlives it, even when it failed mid-stream
    }

    // ---------------------------------------------------------------- the SDK client through the relay

    @Test
    void progressNotificationsArriveInOrderThroughTheRelay() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient client = closing(McpClient.sync(transport())
                .clientInfo(new McpSchema.Implementation("mcp-relay-e2e-progress", "1.0"))
                .requestTimeout(REQUEST_TIMEOUT)
                .progressConsumer(progress::add)
                .build());
        client.initialize();

        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder("trigger-long-running-operation")
                .arguments(Map.of("duration", 2, "steps", 4))
                .progressToken("e2e-progress-token")
                .build());

        assertThat(text(result)).contains("Long running operation completed", "Steps: 4");
        awaitUntil(() -> progress.size() >= 4, "four progress notifications");
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.progressToken()).isEqualTo("e2e-progress-token");
            assertThat(p.total()).isEqualTo(4.0);
        });
        List<Double> values = progress.stream().map(McpSchema.ProgressNotification::progress).toList();
        assertThat(values).isSortedAccordingTo(Double::compare).doesNotHaveDuplicates();
        assertThat(values).containsExactly(1.0, 2.0, 3.0, 4.0);
    }

    @Test
    void samplingRequestReachesTheClientAndItsAnswerReachesTheUpstream() {
        String answer = "Relayed sampling answer 7f3a from the e2e client";
        AtomicReference<McpSchema.CreateMessageRequest> asked = new AtomicReference<>();
        McpSyncClient client = closing(McpClient.sync(transport())
                .clientInfo(new McpSchema.Implementation("mcp-relay-e2e-sampling", "1.0"))
                .requestTimeout(REQUEST_TIMEOUT)
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> {
                    asked.set(request);
                    return new McpSchema.CreateMessageResult(McpSchema.Role.ASSISTANT, new McpSchema.TextContent(answer),
                            "e2e-fixed-model", McpSchema.CreateMessageResult.StopReason.END_TURN);
                })
                .build());
        client.initialize();
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("trigger-sampling-request");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("trigger-sampling-request",
                Map.of("prompt", "What does a relay relay?", "maxTokens", 64)));

        McpSchema.CreateMessageRequest request = asked.get();
        assertThat(request).as("the sampling handler was invoked").isNotNull();
        assertThat(request.maxTokens()).isEqualTo(64);
        assertThat(request.messages()).singleElement().satisfies(message -> {
            assertThat(message.role()).isEqualTo(McpSchema.Role.USER);
            assertThat(((McpSchema.TextContent) message.content()).text()).contains("What does a relay relay?");
        });
        assertThat(text(result)).contains("LLM sampling result", answer, "e2e-fixed-model");
    }

    @Test
    void elicitationRequestReachesTheClientAndItsAnswerReachesTheUpstream() {
        AtomicReference<McpSchema.ElicitFormRequest> asked = new AtomicReference<>();
        // valid against the schema server-everything asks for: only "name" is required; the rest within their formats and ranges
        Map<String, Object> content = Map.of(
                "name", "Ada Lovelace",
                "check", true,
                "email", "ada@example.org",
                "integer", 7,
                "untitledSingleSelectEnum", "Phoebe");
        McpSyncClient client = closing(McpClient.sync(transport())
                .clientInfo(new McpSchema.Implementation("mcp-relay-e2e-elicitation", "1.0"))
                .requestTimeout(REQUEST_TIMEOUT)
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.set(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content);
                })
                .build());
        client.initialize();
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("trigger-elicitation-request");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("trigger-elicitation-request", Map.of()));

        McpSchema.ElicitFormRequest request = asked.get();
        assertThat(request).as("the elicitation handler was invoked").isNotNull();
        assertThat(request.message()).isEqualTo("Please provide inputs for the following fields:");
        assertThat(request.requestedSchema()).containsEntry("required", List.of("name"));
        assertThat(text(result)).contains(
                "User provided the requested information",
                "- Name: Ada Lovelace",
                "- Agreed to terms: true",
                "- Email: ada@example.org",
                "- Favorite Integer: 7",
                "\"action\": \"accept\"",
                "\"untitledSingleSelectEnum\": \"Phoebe\"");
    }

    // ---------------------------------------------------------------- raw HTTP: drop and resume

    @Test
    void droppedClientResumesWithLastEventIdAndGetsEveryRemainingEventOnce() throws Exception {
        int steps = 6;
        String session = initialize("mcp-relay-e2e-resume-live");

        List<SseEvent> first = new ArrayList<>();
        HttpResponse<InputStream> post = postStream(session, longRunning(41, "resume-live", 3, steps));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (SseEventReader reader = new SseEventReader(post.body())) {
            readUntilFirstProgress(reader, first);
        } // dropped: the connection goes away mid-stream, with the operation still running upstream

        String lastReceived = first.getLast().id();
        HttpResponse<InputStream> resumed = resume(session, lastReceived);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(resumed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<SseEvent> rest = readToEnd(resumed.body());

        assertResumedExactly(first, rest, steps, 41);
        assertNoUpstreamIdsLeaked(session, first, rest);
    }

    @Test
    void resumingAfterTheStreamFinishedReplaysTheRestThenEnds() throws Exception {
        int steps = 4;
        String session = initialize("mcp-relay-e2e-resume-finished");

        List<SseEvent> first = new ArrayList<>();
        HttpResponse<InputStream> post = postStream(session, longRunning(52, "resume-finished", 2, steps));
        assertThat(post.statusCode()).isEqualTo(200);
        try (SseEventReader reader = new SseEventReader(post.body())) {
            readUntilFirstProgress(reader, first);
        }
        StreamId stream = new StreamId(streamOf(first.getFirst().id()));
        // the relay keeps reading the upstream into the log although nobody listens: wait until the stream completed
        awaitUntil(() -> EVERYTHING.relay().eventLog().state(stream).map(LogState::complete).orElse(false), "the stream's log to complete");
        long lastSequence = EVERYTHING.relay().eventLog().state(stream).orElseThrow().lastSequence();

        HttpResponse<InputStream> resumed = resume(session, first.getLast().id());
        assertThat(resumed.statusCode()).isEqualTo(200);
        List<SseEvent> rest = readToEnd(resumed.body()); // returns only because the relay ended the response

        assertResumedExactly(first, rest, steps, 52);
        assertThat(sequenceOf(rest.getLast().id())).as("the replay ends with the log's last event").isEqualTo(lastSequence);
        assertNoUpstreamIdsLeaked(session, first, rest);
    }

    @Test
    void unknownForeignAndMalformedLastEventIdsGetClearAnswers() throws Exception {
        String sessionA = initialize("mcp-relay-e2e-resume-a");
        String sessionB = initialize("mcp-relay-e2e-resume-b");
        List<SseEvent> eventsOfA;
        HttpResponse<InputStream> echo = postStream(sessionA,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"mine\"}}}");
        assertThat(echo.statusCode()).isEqualTo(200);
        eventsOfA = readToEnd(echo.body());
        assertThat(eventsOfA).isNotEmpty();
        assertThat(json(eventsOfA.getLast().data())).containsEntry("id", 3);
        String idOfA = eventsOfA.getLast().id();
        assertThat(idOfA).matches(OUR_EVENT_ID);

        HttpResponse<String> foreign = resumeAsString(sessionB, idOfA);
        HttpResponse<String> garbage = resumeAsString(sessionB, "garbage");
        HttpResponse<String> neverIssued = resumeAsString(sessionB, "AAAAAAAAAAAAAAAAAAAAAA:5");
        HttpResponse<String> own = resumeAsString(sessionA, idOfA);

        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(jsonRpcErrorMessage(foreign)).containsIgnoringCase("another session");
        assertThat(foreign.body()).doesNotContain(sessionA);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(jsonRpcErrorMessage(garbage)).contains("Last-Event-ID");
        assertThat(neverIssued.statusCode()).isEqualTo(400);
        assertThat(jsonRpcErrorMessage(neverIssued)).contains("Last-Event-ID", "AAAAAAAAAAAAAAAAAAAAAA:5");
        // the control: the owner resumes its own finished stream after its last event: nothing more, and it ends
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(parseAll(own.body())).isEmpty();
    }

    // ---------------------------------------------------------------- assertions

    /**
     * {@code first} (up to the drop) and {@code rest} (after resuming with the last id of {@code first})
     * together are one stream: ours ids, one stream, consecutive sequences from the priming event on,
     * every event once, the progress 1..steps in order, and the tool's result for {@code requestId} last.
     */
    private static void assertResumedExactly(List<SseEvent> first, List<SseEvent> rest, int steps, int requestId) throws IOException {
        List<SseEvent> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all).extracting(SseEvent::id).allSatisfy(id -> assertThat(id).as("event id").isNotNull().matches(OUR_EVENT_ID));
        String stream = streamOf(first.getFirst().id());
        assertThat(all).extracting(sse -> streamOf(sse.id())).as("one stream throughout").containsOnly(stream);
        assertThat(first.getFirst().data()).as("the priming event carries no data").isEmpty();
        assertThat(sequenceOf(first.getFirst().id())).as("the priming event's sequence").isZero();

        long lastReceived = sequenceOf(first.getLast().id());
        assertThat(first).extracting(sse -> sequenceOf(sse.id())).as("sequences before the drop")
                .containsExactlyElementsOf(LongStream.rangeClosed(0, lastReceived).boxed().toList());
        assertThat(rest).as("events after resuming").isNotEmpty();
        assertThat(rest).extracting(sse -> sequenceOf(sse.id())).as("sequences after resuming, right after " + lastReceived)
                .containsExactlyElementsOf(LongStream.rangeClosed(lastReceived + 1, lastReceived + rest.size()).boxed().toList());
        assertThat(all).extracting(SseEvent::id).as("no event twice").doesNotHaveDuplicates();

        List<Number> progress = new ArrayList<>();
        for (SseEvent sse : all) {
            if (!sse.data().isEmpty()) {
                Map<String, Object> message = json(sse.data());
                if ("notifications/progress".equals(message.get("method"))) {
                    progress.add((Number) params(message).get("progress"));
                }
            }
        }
        assertThat(progress).extracting(Number::intValue).as("progress across both connections")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, steps).boxed().toList());

        Map<String, Object> last = json(rest.getLast().data());
        assertThat(last).as("the last event is the tool's result").containsEntry("jsonrpc", "2.0").containsEntry("id", requestId)
                .containsKey("result").doesNotContainKey("error");
        assertThat(String.valueOf(last.get("result"))).contains("Long running operation completed", "Steps: " + steps);
    }

    /** Neither the session id nor any event id is (or contains) server-everything's ids (UUIDs, or the upstream's event ids). */
    private static void assertNoUpstreamIdsLeaked(String session, List<SseEvent> first, List<SseEvent> rest) {
        assertThat(session).doesNotContainPattern(UUID);
        StreamId stream = new StreamId(streamOf(first.getFirst().id()));
        Optional<String> upstreamCursor = EVERYTHING.relay().eventLog().state(stream).flatMap(LogState::upstreamCursor);
        List<String> ids = new ArrayList<>();
        first.forEach(sse -> ids.add(sse.id()));
        rest.forEach(sse -> ids.add(sse.id()));
        assertThat(ids).allSatisfy(id -> {
            assertThat(id).doesNotContainPattern(UUID);
            upstreamCursor.ifPresent(upstreamId -> assertThat(id).isNotEqualTo(upstreamId).doesNotContain(upstreamId));
        });
    }

    // ---------------------------------------------------------------- raw HTTP helpers

    /** initialize (2025-11-25) and notifications/initialized; returns the relay's session id. */
    private String initialize(String clientName) throws IOException, InterruptedException {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + PROTOCOL
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + clientName + "\",\"version\":\"1.0\"}}}";
        HttpResponse<InputStream> initialized = send(post(null, init), HttpResponse.BodyHandlers.ofInputStream());
        List<SseEvent> events = readToEnd(initialized.body());
        assertThat(initialized.statusCode()).isEqualTo(200);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        Map<String, Object> answer = events.stream().filter(sse -> !sse.data().isEmpty()).map(sse -> json(sse.data()))
                .filter(message -> Integer.valueOf(1).equals(message.get("id"))).findFirst().orElseThrow();
        assertThat(String.valueOf(answer.get("result"))).contains("protocolVersion=" + PROTOCOL);

        HttpResponse<String> notified = send(post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notified.statusCode()).isEqualTo(202);
        return session;
    }

    private static String longRunning(int id, String progressToken, int duration, int steps) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"trigger-long-running-operation\","
                + "\"arguments\":{\"duration\":" + duration + ",\"steps\":" + steps + "},\"_meta\":{\"progressToken\":\"" + progressToken + "\"}}}";
    }

    private HttpResponse<InputStream> postStream(String session, String body) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(post(session, body), HttpResponse.BodyHandlers.ofInputStream());
        toClose.add(response.body());
        return response;
    }

    private HttpResponse<InputStream> resume(String session, String lastEventId) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(get(session, lastEventId), HttpResponse.BodyHandlers.ofInputStream());
        toClose.add(response.body());
        return response;
    }

    private HttpResponse<String> resumeAsString(String session, String lastEventId) throws IOException, InterruptedException {
        return send(get(session, lastEventId), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest post(String session, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(relayEndpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", BOTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            builder.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL);
        }
        return builder.build();
    }

    private static HttpRequest get(String session, String lastEventId) {
        return HttpRequest.newBuilder(relayEndpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", PROTOCOL)
                .header("Last-Event-ID", lastEventId)
                .GET()
                .build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return http.send(request, handler);
    }

    /** Reads events into {@code into} up to and including the first progress notification. */
    private static void readUntilFirstProgress(SseEventReader reader, List<SseEvent> into) throws IOException {
        while (true) {
            Optional<SseEvent> next = reader.next();
            if (next.isEmpty()) {
                fail("the stream ended before any progress notification: " + into);
            }
            into.add(next.get());
            if (!next.get().data().isEmpty() && "notifications/progress".equals(json(next.get().data()).get("method"))) {
                return;
            }
        }
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

    private static List<SseEvent> parseAll(String body) throws IOException {
        return readToEnd(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String jsonRpcErrorMessage(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = json(response.body());
        assertThat(body).containsEntry("jsonrpc", "2.0").containsKey("id").containsKey("error").doesNotContainKey("result");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertThat(error.get("code")).isInstanceOf(Integer.class);
        assertThat(error.get("message")).isInstanceOf(String.class);
        return (String) error.get("message");
    }

    // ---------------------------------------------------------------- small things

    private static String streamOf(String eventId) {
        return matchId(eventId).group(1);
    }

    private static long sequenceOf(String eventId) {
        return Long.parseLong(matchId(eventId).group(2));
    }

    private static Matcher matchId(String eventId) {
        Matcher matcher = OUR_EVENT_ID.matcher(String.valueOf(eventId));
        assertThat(matcher.matches()).as("an event id of ours: " + eventId).isTrue();
        return matcher;
    }

    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeRef<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + text, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> message) {
        return (Map<String, Object>) message.get("params");
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting for " + what + " after " + REQUEST_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static HttpClientStreamableHttpTransport transport() {
        return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + EVERYTHING.relay().port())
                .endpoint("/mcp")
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static URI relayEndpoint() {
        return URI.create("http://127.0.0.1:" + EVERYTHING.relay().port() + "/mcp");
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
