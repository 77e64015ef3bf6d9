package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One client must not take every place the upstream has (issue 16, item 7), over loopback against the
 * real relay: a session hogging with 70 slow tool calls, or with 80 open GET streams, leaves the
 * upstream's places to the others, whose echo is answered while the hog's calls are still held; the
 * hog beyond its share gets 429 with Retry-After and a JSON-RPC error naming the limit.
 */
class UpstreamFairnessIT {

    private static final String ACCEPT = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    /** Holds every slow call and every GET stream until the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger slowCallsHeld = new AtomicInteger();
    private final AtomicInteger streamsHeld = new AtomicInteger();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private McpRelayServer relay;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (relay != null) {
            relay.close();
        }
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    /**
     * MiniMcpUpstream, except that tools/call takes as long as the test (a 20-second tool) and a session's
     * GET is a held event stream (the health probe's GET, without a session, gets MiniMcpUpstream's 405).
     */
    private StubUpstream slowUpstream() {
        StubUpstream upstream = StubUpstream.start((req, res) -> {
            if (req.method().equals("GET") && req.header("Mcp-Session-Id") != null) {
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                try (OutputStream out = res.outputStream()) {
                    // an event, not a comment: the relay's answer head goes out with the first event it relays
                    StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                            + "\"params\":{\"level\":\"info\",\"data\":\"open\"}}\n\n");
                    streamsHeld.incrementAndGet();
                    release.await(60, TimeUnit.SECONDS);
                }
                return;
            }
            if (req.body().contains("\"tools/call\"")) {
                slowCallsHeld.incrementAndGet();
                release.await(60, TimeUnit.SECONDS);
            }
            MiniMcpUpstream.answer(req, res);
        });
        resources.add(upstream);
        return upstream;
    }

    private void startRelay(FairnessOptions fairness) {
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("slow", slowUpstream().endpoint())).withFairness(fairness));
    }

    @Test
    void aSessionWithSeventySlowCallsGetsItsShareAnd429sWhileAnotherClientsEchoIsAnswered() throws Exception {
        startRelay(FairnessOptions.defaults());
        String hog = initialize();
        String other = initialize();

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            calls.add(http.sendAsync(post(hog, "{\"jsonrpc\":\"2.0\",\"id\":" + (100 + i)
                    + ",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{}}}").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await(() -> slowCallsHeld.get() == SessionShare.DEFAULT_MAX_REQUESTS
                && calls.stream().filter(CompletableFuture::isDone).count() == 70 - SessionShare.DEFAULT_MAX_REQUESTS);
        List<HttpResponse<String>> refused = calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();

        HttpResponse<String> echo = http.send(post(other, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}").timeout(Duration.ofSeconds(4))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).contains("\"id\":7").contains("\"echo\":\"ping\"");
        assertThat(slowCallsHeld).as("the hog's calls are still running").hasValue(SessionShare.DEFAULT_MAX_REQUESTS);
        assertThat(refused).hasSize(70 - SessionShare.DEFAULT_MAX_REQUESTS).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(r.body()).contains("\"code\":-32000").contains("16 requests in flight").contains("session-max-requests")
                    .doesNotContain("\"id\":null");
        });
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isIn(200, 429);
        }
    }

    @Test
    void eightyOpenGetStreamsTakeNoPlaceARequestNeeds() throws Exception {
        // the per-session stream share is raised past 80, so that only the separate budget protects the echo
        startRelay(new FairnessOptions(FairnessOptions.DEFAULT_MAX_STREAMS_PER_UPSTREAM, new SessionShare(16, 100), ClientQuota.defaults()));
        String hog = initialize();
        String other = initialize();

        List<CompletableFuture<HttpResponse<InputStream>>> streams = openStreams(hog, 80);
        await(() -> streamsHeld.get() == 80);

        HttpResponse<String> echo = http.send(post(other, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}").timeout(Duration.ofSeconds(4))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).contains("\"echo\":\"ping\"");
        for (CompletableFuture<HttpResponse<InputStream>> stream : streams) {
            HttpResponse<InputStream> open = stream.get(10, TimeUnit.SECONDS);
            assertThat(open.statusCode()).isEqualTo(200);
            open.body().close();
        }
    }

    @Test
    void aSessionBeyondItsShareOfGetStreamsGets429() throws Exception {
        startRelay(FairnessOptions.defaults());
        String hog = initialize();

        List<CompletableFuture<HttpResponse<InputStream>>> streams = openStreams(hog, 80);
        await(() -> streamsHeld.get() == SessionShare.DEFAULT_MAX_STREAMS);

        // every answer first, then close the open ones: a stream closed by its client frees its share
        // at once (it owes nothing), and a GET the client sent late would then be let in
        List<HttpResponse<InputStream>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<InputStream>> stream : streams) {
            answers.add(stream.get(10, TimeUnit.SECONDS));
        }
        int open = 0;
        int refused = 0;
        for (HttpResponse<InputStream> answer : answers) {
            if (answer.statusCode() == 200) {
                open++;
            } else {
                assertThat(answer.statusCode()).isEqualTo(429);
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(new String(answer.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("4 GET streams open").contains("session-max-streams");
                refused++;
            }
            answer.body().close();
        }
        assertThat(open).isEqualTo(SessionShare.DEFAULT_MAX_STREAMS);
        assertThat(refused).isEqualTo(80 - SessionShare.DEFAULT_MAX_STREAMS);
    }

    private List<CompletableFuture<HttpResponse<InputStream>>> openStreams(String session, int count) {
        List<CompletableFuture<HttpResponse<InputStream>>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(http.sendAsync(HttpRequest.newBuilder(mcp()).header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", "2025-06-18").GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
        return streams;
    }

    private String initialize() throws Exception {
        HttpResponse<String> init = http.send(HttpRequest.newBuilder(mcp()).header("Accept", ACCEPT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).isEqualTo(200);
        return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpRequest.Builder post(String session, String body) {
        return HttpRequest.newBuilder(mcp()).header("Accept", ACCEPT).header("Content-Type", "application/json")
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
