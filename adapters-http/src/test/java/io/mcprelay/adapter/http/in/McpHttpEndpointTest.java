package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.in.TerminateSessionCommand;
import io.mcprelay.adapter.http.HttpEcho;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP endpoint over a real socket, with recording use cases behind it: the transport checks and
 * their order, what reaches the use cases, and how each of the downstream port's answers is written.
 */
class McpHttpEndpointTest {

    private static final int MAX_BODY = 256;
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}";
    private static final String BOTH = "application/json, text/event-stream";

    private final AtomicReference<RelayMessageCommand> relayed = new AtomicReference<>();
    private final AtomicReference<OpenStreamCommand> opened = new AtomicReference<>();
    private final AtomicReference<TerminateSessionCommand> terminated = new AtomicReference<>();
    private final AtomicInteger useCaseCalls = new AtomicInteger();
    private volatile BiConsumer<Object, DownstreamPort> answer = (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE);
    private volatile Optional<String> notReady = Optional.empty();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebServer server;

    @BeforeEach
    void start() {
        McpHttpEndpoint endpoint = new McpHttpEndpoint(
                (command, downstream) -> {
                    relayed.set(command);
                    call(command, downstream);
                },
                (command, downstream) -> {
                    terminated.set(command);
                    call(command, downstream);
                },
                (command, downstream) -> {
                    opened.set(command);
                    call(command, downstream);
                },
                new McpEndpointConfig(MAX_BODY, OriginPolicy.forListener(true, List.of("https://app.example"), List.of())));
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.register("/mcp", endpoint).register("/health", new HealthHttpService(() -> notReady))
                        .register("/versioned-health", new HealthHttpService(() -> notReady, "1.2.3")))
                .build().start();
    }

    private void call(Object command, DownstreamPort downstream) {
        useCaseCalls.incrementAndGet();
        answer.accept(command, downstream);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void givesTheRelayTheModernRoutingHeadersAsClaims() throws Exception {
        send(post(INIT).header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/call").header("Mcp-Name", "echo")
                .header("Mcp-Param-Region", "eu").header("mcp-param-count", "42"));

        io.mcprelay.domain.era.RoutingClaims claims = relayed.get().routing();
        assertThat(claims.protocolVersion()).hasValue("2026-07-28");
        assertThat(claims.method()).hasValue("tools/call");
        assertThat(claims.name()).hasValue("echo");
        assertThat(claims.params()).containsEntry("region", "eu").containsEntry("count", "42").hasSize(2);
    }

    @Test
    void refusesGetAndDeleteWithAModernVersionWith405AllowPost() throws Exception {
        HttpResponse<String> get = send(request().header("Accept", "text/event-stream").header("MCP-Protocol-Version", "2026-07-28").GET());
        HttpResponse<String> delete = send(request().header("MCP-Protocol-Version", "2026-07-28").DELETE());

        for (HttpResponse<String> response : List.of(get, delete)) {
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
            assertThat(response.body()).contains("POST only");
        }
        assertThat(useCaseCalls).hasValue(0);
        assertThat(send(request().header("MCP-Protocol-Version", "2025-11-25").DELETE()).statusCode()).isEqualTo(202);
    }

    @Test
    void writesTheModernRefusalsWithTheirOwnCodes() throws Exception {
        for (var expected : Map.of(RejectionReason.MODERN_HEADER_MISMATCH, -32020, RejectionReason.MODERN_VERSION_UNSUPPORTED, -32022,
                RejectionReason.MODERN_INVALID_PARAMS, -32602).entrySet()) {
            answer = (command, downstream) -> downstream.reject(Rejection.of(expected.getKey(), "refused").answering(new RequestId.NumericId("3")));
            HttpResponse<String> response = send(post(INIT));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("\"code\":" + expected.getValue()).contains("\"id\":3");
        }
    }

    @Test
    void refusesAForeignOriginOnEveryMethodBeforeAnyUseCaseRuns() throws Exception {
        HttpResponse<String> post = send(post(INIT).header("Origin", "https://evil.example"));
        HttpResponse<String> get = send(request().header("Origin", "http://evil.example:8080").header("Accept", "text/event-stream").GET());
        HttpResponse<String> delete = send(request().header("Origin", "null").DELETE());

        assertThat(List.of(post.statusCode(), get.statusCode(), delete.statusCode())).containsOnly(403);
        assertThat(post.body()).contains("\"code\":-32000").contains("Origin https://evil.example is not allowed");
        assertThat(post.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(useCaseCalls).hasValue(0);

        assertThat(send(post(INIT).header("Origin", "https://app.example")).statusCode()).isEqualTo(202);
        assertThat(send(post(INIT).header("Origin", "http://localhost:6274")).statusCode()).isEqualTo(202);
    }

    @Test
    void checksAcceptThenContentTypeThenBodySize() throws Exception {
        HttpResponse<String> jsonOnly = send(request().header("Accept", "application/json").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(MAX_BODY + 1))));
        assertThat(jsonOnly.statusCode()).isEqualTo(406);
        assertThat(jsonOnly.body()).contains("Accept must list both application/json and text/event-stream");
        assertThat(send(request().header("Accept", "text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INIT))).statusCode()).isEqualTo(406);

        HttpResponse<String> plain = send(request().header("Accept", BOTH).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(MAX_BODY + 1))));
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(send(request().header("Accept", BOTH).POST(HttpRequest.BodyPublishers.ofString(INIT))).statusCode()).isEqualTo(415);

        HttpResponse<String> large = send(post("x".repeat(MAX_BODY + 1)));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).contains("the body exceeds " + MAX_BODY + " bytes");
        assertThat(useCaseCalls).hasValue(0);

        assertThat(send(post("x".repeat(MAX_BODY)).header("Content-Type", "application/json; charset=utf-8")).statusCode()).isEqualTo(202);
        assertThat(relayed.get().body()).hasSize(MAX_BODY);
    }

    @Test
    void refusesABodyOverTheLimitThatDeclaresNoLength() throws Exception {
        byte[] chunk = "y".repeat(100).getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher unsized = HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                        new ByteArrayInputStream(chunk), new ByteArrayInputStream(chunk), new ByteArrayInputStream(chunk)))));

        assertThat(send(request().header("Accept", BOTH).header("Content-Type", "application/json").POST(unsized)).statusCode()).isEqualTo(413);
        assertThat(useCaseCalls).hasValue(0);
    }

    @Test
    void givesTheRelayTheBodyTheSessionTheVersionAndEveryHeader() throws Exception {
        answer = (command, downstream) -> downstream.answer(
                new DownstreamPort.Head(Optional.of(new ProxySessionId("proxy-session-1")), new HttpEcho(200, Map.of("X-Upstream-Note", "kept"))),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = send(post(INIT).header("Mcp-Session-Id", "s-1").header("MCP-Protocol-Version", "2025-06-18")
                .header("X-Trace", "a").header("X-Trace", "b"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValue("proxy-session-1");
        assertThat(response.headers().firstValue("X-Upstream-Note")).hasValue("kept");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");

        RelayMessageCommand command = relayed.get();
        assertThat(new String(command.body(), StandardCharsets.UTF_8)).isEqualTo(INIT);
        assertThat(command.sessionId()).hasValue("s-1");
        assertThat(command.protocolVersion()).hasValue("2025-06-18");
        assertThat(command.headers()).containsEntry("X-Trace", "a, b").containsEntry("Accept", BOTH);
        assertThat(command.client()).as("the peer's address is the client key").isEqualTo(ClientKey.ofAddress("127.0.0.1"));
    }

    @Test
    void joinsARepeatedSessionIdSoTheUseCaseSeesItIsMalformed() throws Exception {
        send(post(INIT).header("Mcp-Session-Id", "one").header("Mcp-Session-Id", "two"));
        assertThat(relayed.get().sessionId()).hasValue("one, two");

        send(post(INIT));
        assertThat(relayed.get().sessionId()).isEmpty();
        assertThat(relayed.get().protocolVersion()).isEmpty();
    }

    @Test
    void answersAcceptedWithAnEmptyBody() throws Exception {
        HttpResponse<String> response = send(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void writesARejectionFromTheUseCaseWithItsStatusAndRequestId() throws Exception {
        answer = (command, downstream) -> downstream.reject(
                Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Not Found: no such session").answering(new RequestId.NumericId("0")));

        HttpResponse<String> response = send(post(INIT).header("Mcp-Session-Id", "gone"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32001,\"message\":\"Not Found: no such session\"}}");
    }

    @Test
    void copiesAPassthroughBodyWithItsContentType() throws Exception {
        byte[] payload = "plain upstream text\n".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        answer = (command, downstream) -> downstream.passthrough(DownstreamPort.Head.NONE, "text/plain; charset=utf-8",
                new ByteArrayInputStream(payload));

        HttpResponse<String> response = send(post(INIT));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void writesAnEventStreamEventByEventAndEndsIt() throws Exception {
        AtomicReference<List<Boolean>> writes = new AtomicReference<>();
        answer = (command, downstream) -> {
            DownstreamPort.Stream stream = downstream.openEventStream(DownstreamPort.Head.of(Optional.of(new ProxySessionId("p-2"))));
            boolean first = stream.emit(new SseEvent(Optional.of("s1/1"), Optional.of("message"), "line one\r\nline two\nline three", Optional.of(1500L)));
            boolean comment = stream.comment("keep-alive\nsecond");
            boolean empty = stream.comment("");
            boolean plain = stream.emit(SseEvent.message("{}"));
            stream.close();
            stream.close();
            boolean afterClose = stream.emit(SseEvent.message("late"));
            writes.set(List.of(first, comment, empty, plain, afterClose));
        };

        HttpResponse<String> response = send(post(INIT));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValue("p-2");
        assertThat(response.body()).as("the stream opens with an empty comment, which sends the head").isEqualTo("""
                :

                id: s1/1
                event: message
                retry: 1500
                data: line one
                data: line two
                data: line three

                : keep-alive
                : second

                :

                data: {}

                """);
        assertThat(writes.get()).containsExactly(true, true, true, true, false);
    }

    @Test
    void sendsTheHeadOfAnEventStreamAtOnceBeforeAnyEvent() throws Exception {
        CompletableFuture<Void> headSeen = new CompletableFuture<>();
        answer = (command, downstream) -> {
            DownstreamPort.Stream stream = downstream.openEventStream(DownstreamPort.Head.of(Optional.of(new ProxySessionId("p-3"))));
            try {
                // no event until the client has seen the head: a head held back for the first event would never come
                headSeen.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                stream.emit(SseEvent.message("{}"));
                stream.close();
            }
        };

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: s\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            headSeen.complete(null);

            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream")
                    .containsIgnoringCase("mcp-session-id: p-3").containsIgnoringCase("x-accel-buffering: no");
        }
    }

    /** The status line and headers of a response, read up to the blank line. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void reportsAClientThatWentAwayAsAFailedWrite() throws Exception {
        CompletableFuture<Boolean> sawClientGone = new CompletableFuture<>();
        CompletableFuture<Void> streamOpen = new CompletableFuture<>();
        answer = (command, downstream) -> {
            DownstreamPort.Stream stream = downstream.openEventStream(DownstreamPort.Head.NONE);
            streamOpen.complete(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean written = true;
            while (written && System.nanoTime() < deadline) {
                written = stream.emit(SseEvent.message("x".repeat(1_000)));
                sleep(5);
            }
            boolean heartbeat = stream.comment("still there?");
            stream.close();
            sawClientGone.complete(!written && !heartbeat);
        };

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: s\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            streamOpen.get(10, TimeUnit.SECONDS);
        }

        assertThat(sawClientGone.get(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void opensAStreamWithTheLastEventIdAndNeedsEventStreamInAccept() throws Exception {
        answer = (command, downstream) -> downstream.reject(Rejection.of(RejectionReason.STREAM_NOT_OFFERED, "Method Not Allowed: no stream"));

        HttpResponse<String> response = send(request().header("Accept", "text/event-stream").header("Mcp-Session-Id", "s-9")
                .header("Last-Event-ID", "s9/4").header("MCP-Protocol-Version", "2025-03-26").GET());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, DELETE");
        assertThat(opened.get()).isEqualTo(new OpenStreamCommand(Optional.of("s-9"), Optional.of("2025-03-26"), Optional.of("s9/4"),
                opened.get().headers(), io.mcprelay.domain.session.ClientKey.ofAddress("127.0.0.1")));
        assertThat(opened.get().headers()).containsEntry("Last-Event-ID", "s9/4");

        useCaseCalls.set(0);
        HttpResponse<String> jsonOnly = send(request().header("Accept", "application/json").GET());
        assertThat(jsonOnly.statusCode()).isEqualTo(406);
        assertThat(jsonOnly.body()).contains("a GET stream needs Accept: text/event-stream");
        assertThat(useCaseCalls).hasValue(0);
    }

    @Test
    void aBusySessionGets429WithRetryAfter() throws Exception {
        answer = (command, downstream) -> downstream.reject(Rejection.of(RejectionReason.SESSION_BUSY, "Too Many Requests: share"));

        HttpResponse<String> response = send(request().header("Accept", "text/event-stream").header("Mcp-Session-Id", "s-9").GET());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("Too Many Requests: share").contains("-32000");
    }

    @Test
    void aRateLimitedRequestGets429WithTheBucketsRetryAfterRoundedUp() throws Exception {
        answer = (command, downstream) -> downstream.reject(Rejection.of(RejectionReason.RATE_LIMITED, "Too Many Requests: per-principal")
                .withData("{\"limit\":\"per-principal\"}").withRetryAfter(java.time.Duration.ofMillis(12_001)));

        HttpResponse<String> response = send(request().header("Accept", "text/event-stream").header("Mcp-Session-Id", "s-9").GET());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("13");
        assertThat(response.body()).contains("\"limit\":\"per-principal\"").contains("-32000");
        assertThat(HelidonDownstream.retryAfterSeconds(java.time.Duration.ZERO)).isEqualTo("1");
        assertThat(HelidonDownstream.retryAfterSeconds(java.time.Duration.ofSeconds(20))).isEqualTo("20");
    }

    @Test
    void deletesThroughTheTerminateUseCase() throws Exception {
        answer = (command, downstream) -> downstream.ended(DownstreamPort.Head.NONE);

        HttpResponse<String> response = send(request().header("Mcp-Session-Id", "s-3").header("MCP-Protocol-Version", "2025-11-25").DELETE());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(terminated.get().sessionId()).hasValue("s-3");
        assertThat(terminated.get().protocolVersion()).hasValue("2025-11-25");
    }

    @Test
    void refusesOtherMethodsNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> put = send(request().header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(INIT)));
        HttpResponse<String> patch = send(request().method("PATCH", HttpRequest.BodyPublishers.noBody()));

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST, DELETE");
        assertThat(put.body()).contains("PUT is not served on the MCP endpoint");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(useCaseCalls).hasValue(0);
    }

    @Test
    void healthSaysUpOrDownWithTheReasonAndLivenessStaysUp() throws Exception {
        HttpResponse<String> ready = send(HttpRequest.newBuilder(uri("/health")).GET());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");

        notReady = Optional.of("store unreachable: \"redis\" timed out");
        HttpResponse<String> down = send(HttpRequest.newBuilder(uri("/health/ready")).GET());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"reason\":\"store unreachable: \\\"redis\\\" timed out\"}");

        HttpResponse<String> live = send(HttpRequest.newBuilder(uri("/health/live")).GET());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void healthBuiltWithAVersionNamesItInEveryAnswer() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/versioned-health")).GET()).body()).isEqualTo("{\"status\":\"UP\",\"version\":\"1.2.3\"}");

        notReady = Optional.of("store unreachable");
        assertThat(send(HttpRequest.newBuilder(uri("/versioned-health/ready")).GET()).body())
                .isEqualTo("{\"status\":\"DOWN\",\"reason\":\"store unreachable\",\"version\":\"1.2.3\"}");
    }

    private HttpRequest.Builder post(String body) {
        return request().header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(uri("/mcp")).timeout(Duration.ofSeconds(20));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
