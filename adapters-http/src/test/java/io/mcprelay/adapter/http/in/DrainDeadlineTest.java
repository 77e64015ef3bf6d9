package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.stream.SseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JSON answer still being computed at the drain's deadline, over a real socket: the drain answers
 * in the use case's place with a JSON-RPC error carrying the request's id (not a connection closed
 * with nothing), and the use case's late answer is dropped.
 */
class DrainDeadlineTest {

    private static final String BOTH = "application/json, text/event-stream";

    private final Drain drain = new Drain();
    private final CountDownLatch upstreamAnswers = new CountDownLatch(1);
    private final AtomicReference<Throwable> lateWrite = new AtomicReference<>();
    private final AtomicReference<Boolean> lateStreamEmitted = new AtomicReference<>();
    private final List<AccessLogLine> logged = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebServer server;

    @BeforeEach
    void start() {
        McpHttpEndpoint endpoint = new McpHttpEndpoint(
                (command, downstream) -> {
                    String body = new String(command.body(), StandardCharsets.UTF_8);
                    if (body.contains("\"fast\"")) {
                        downstream.answer(DownstreamPort.Head.NONE, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    try {
                        upstreamAnswers.await(30, TimeUnit.SECONDS);
                        if (body.contains("\"stream\"")) {
                            try (DownstreamPort.Stream stream = downstream.openEventStream(DownstreamPort.Head.NONE)) {
                                lateStreamEmitted.set(stream.emit(new SseEvent(java.util.Optional.empty(), java.util.Optional.empty(), "{}",
                                        java.util.Optional.empty())));
                            }
                        } else {
                            downstream.answer(DownstreamPort.Head.NONE, "{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":{\"late\":true}}"
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (Throwable e) {
                        lateWrite.set(e);
                    }
                },
                (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE),
                (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE),
                new McpEndpointConfig(1 << 16, OriginPolicy.forListener(true, List.of(), List.of())));
        TrafficFilter filter = new TrafficFilter("/mcp", drain, new AccessLog(100, logged::add));
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.addFilter(filter).register("/mcp", endpoint)).build().start();
    }

    @AfterEach
    void stop() {
        upstreamAnswers.countDown();
        server.stop();
    }

    @Test
    void aJsonAnswerStillComputedAtTheDeadlineGetsAJsonRpcErrorWithItsId() throws Exception {
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(post("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"slow\"}}"), HttpResponse.BodyHandlers.ofString());
        awaitPending(1);

        assertThat(drain.cutPendingAnswers("shut down before the upstream answered")).isEqualTo(1);

        HttpResponse<String> response = call.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":42,\"error\":{\"code\":-32603,"
                + "\"message\":\"shut down before the upstream answered\"}}");
        upstreamAnswers.countDown();
        awaitLogged(1);
        assertThat(lateWrite.get()).as("the late answer is dropped quietly").isNull();
        assertThat(logged.getFirst().fields()).containsEntry("status", 503).containsEntry("refusal", PendingAnswer.CUT_REASON);
        assertThat(drain.pendingAnswers()).isZero();
        assertThat(drain.cutPendingAnswers("again")).isZero();
    }

    @Test
    void aLateStreamSeesItsClientGone() throws Exception {
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(post("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"stream\"}"),
                HttpResponse.BodyHandlers.ofString());
        awaitPending(1);
        drain.cutPendingAnswers("bye");

        assertThat(call.get(20, TimeUnit.SECONDS).body()).contains("\"id\":\"s-1\"").contains("\"message\":\"bye\"");
        upstreamAnswers.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lateStreamEmitted.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(lateStreamEmitted.get()).isFalse();
    }

    @Test
    void anAnswerThatBeganIsNeverCut() throws Exception {
        HttpResponse<String> fast = http.send(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fast\"}"), HttpResponse.BodyHandlers.ofString());

        assertThat(fast.statusCode()).isEqualTo(200);
        awaitPendingBelow(1); // the server's bookkeeping after the send may finish after the client has read the answer
        assertThat(drain.pendingAnswers()).isZero();
        assertThat(drain.cutPendingAnswers("x")).isZero();
    }

    @Test
    void theErrorCarriesNoIdForABatchOrANotification() {
        assertThat(PendingAnswer.requestIdJson("[{\"id\":1,\"method\":\"a\"}]".getBytes())).isEqualTo("null");
        assertThat(PendingAnswer.requestIdJson("{\"method\":\"notifications/x\"}".getBytes())).isEqualTo("null");
        assertThat(PendingAnswer.requestIdJson("{\"id\":\"a\\\"b\",\"method\":\"m\"}".getBytes())).isEqualTo("\"a\\\"b\"");
        assertThat(PendingAnswer.requestIdJson("nope".getBytes())).isEqualTo("null");
        assertThat(PendingAnswer.error("null", "say \"hi\"")).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                + "\"message\":\"say \\\"hi\\\"\"}}");
    }

    private void awaitPendingBelow(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (drain.pendingAnswers() >= count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void awaitPending(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (drain.pendingAnswers() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(drain.pendingAnswers()).isEqualTo(count);
    }

    private void awaitLogged(int lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (logged.size() < lines && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp")).timeout(Duration.ofSeconds(30))
                .header("Accept", BOTH).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
