package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream adapter contract on {@link SocketUpstreamAdapter}, and what only its own HTTP/1.1
 * client has: keep-alive reuse, stale idle connections, the framings of a body, the bounds of a
 * response head, and refusing to send a header that would inject another. Real loopback sockets,
 * with a raw upstream that writes exactly the bytes each case needs.
 */
class SocketUpstreamAdapterTest extends UpstreamAdapterContract {

    private static final byte[] REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);
    private static final String JSON = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
    private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final SocketUpstreamAdapter sockets = new SocketUpstreamAdapter(UpstreamClientConfig.defaults()
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)).withConnectionPoolSize(4));
    private final List<AutoCloseable> resources = new ArrayList<>();

    SocketUpstreamAdapterTest() {
        super(UpstreamClients.SOCKETS);
    }

    @AfterEach
    void closeAll() throws Exception {
        sockets.close();
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void sequentialExchangesShareOneKeepAliveConnection() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + JSON.length() + "\r\n\r\n" + JSON);
        UpstreamTarget target = new UpstreamTarget("kept", raw.endpoint());

        for (int i = 0; i < 20; i++) {
            assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class,
                    json -> assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON));
        }

        assertThat(raw.connections()).isEqualTo(1);
        assertThat(sockets.idleConnections("kept")).isEqualTo(1);
        assertThat(sockets.availablePermits("kept")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
    }

    @Test
    void sendsTheRequestLineHostFramingAndSessionInOneHead() {
        List<RawUpstream.Request> seen = new CopyOnWriteArrayList<>();
        RawUpstream raw = raw(socket -> {
            while (true) {
                seen.add(RawUpstream.readRequest(socket));
                RawUpstream.write(socket, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            }
        });
        URI endpoint = URI.create(raw.endpoint() + "?tenant=a%20b");
        UpstreamTarget target = new UpstreamTarget("framed", endpoint);

        assertThat(sockets.exchange(new HttpRequest(target, HttpRequest.Method.POST,
                Map.of("Content-Type", "application/json", "Host", "evil.example", "Content-Length", "1", "Mcp-Session-Id", "forged"),
                Optional.of(new UpstreamSessionId("up-7")), REQUEST))).isInstanceOf(HttpAnswer.Accepted.class);
        assertThat(sockets.exchange(new HttpRequest(target, HttpRequest.Method.GET, Map.of("Accept", "text/event-stream"),
                Optional.empty(), new byte[0]))).isInstanceOf(HttpAnswer.Accepted.class);

        String port = Integer.toString(endpoint.getPort());
        assertThat(seen).hasSize(2);
        String post = seen.get(0).head();
        assertThat(post).startsWith("POST /mcp?tenant=a%20b HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                .contains("\r\nContent-Length: " + REQUEST.length + "\r\n", "\r\nMcp-Session-Id: up-7\r\n",
                        "\r\nAccept: application/json, text/event-stream\r\n")
                .doesNotContain("evil.example", "forged", "Content-Length: 1\r\n");
        assertThat(seen.get(0).body()).isEqualTo(new String(REQUEST, StandardCharsets.UTF_8));
        String get = seen.get(1).head();
        assertThat(get).startsWith("GET /mcp?tenant=a%20b HTTP/1.1\r\n").contains("\r\nAccept: text/event-stream\r\n")
                .doesNotContain("Content-Length", "application/json");
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void anIdleConnectionTheUpstreamClosedIsNoticedAndReplacedBeforeSending() throws Exception {
        // the upstream answers keep-alive, then closes each connection after a single answer
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + JSON.length() + "\r\n\r\n" + JSON);
        });
        UpstreamTarget target = new UpstreamTarget("closing", raw.endpoint());

        assertThat(sockets.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);
        assertThat(sockets.idleConnections("closing")).isEqualTo(1);
        // the close reaches this side within moments: the next request must not be written into it
        Thread.sleep(200);

        assertThat(sockets.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);
        assertThat(raw.connections()).isEqualTo(2);
    }

    @Test
    void idleConnectionsPastTheirBoundAreClosedByTrafficToAnyUpstream() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length() + "\r\n\r\n" + JSON;
        RawUpstream quiet = keepAliveUpstream(answer);
        RawUpstream busy = keepAliveUpstream(answer);
        assertThat(sockets.exchange(post(new UpstreamTarget("quiet", quiet.endpoint())))).isInstanceOf(HttpAnswer.Json.class);
        assertThat(sockets.idleConnections("quiet")).isEqualTo(1);

        Thread.sleep(ConnectionPool.MAX_IDLE.toMillis() + 500);
        assertThat(sockets.exchange(post(new UpstreamTarget("busy", busy.endpoint())))).isInstanceOf(HttpAnswer.Json.class);

        assertThat(sockets.idleConnections("quiet")).isZero();
        awaitNoOpenConnection(quiet);
        assertThat(sockets.idleConnections("busy")).isEqualTo(1);
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailersAndKeepsTheConnection() {
        String first = JSON.substring(0, 10);
        String rest = JSON.substring(10);
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first.length()) + ";name=value\r\n" + first + "\r\n"
                + Integer.toHexString(rest.length()).toUpperCase() + " ; quoted=\"x\"\r\n" + rest + "\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other: def\r\n\r\n");
        UpstreamTarget target = new UpstreamTarget("chunked", raw.endpoint());

        for (int i = 0; i < 3; i++) {
            assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class,
                    json -> assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON));
        }
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void aBodyWithoutLengthIsReadUntilTheCloseAndItsConnectionNotReused() {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + JSON);
        });
        UpstreamTarget target = new UpstreamTarget("until-close", raw.endpoint());

        for (int i = 0; i < 2; i++) {
            assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class,
                    json -> assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON));
        }
        assertThat(raw.connections()).isEqualTo(2);
        assertThat(sockets.idleConnections("until-close")).isZero();
    }

    @Test
    void skipsInterimAnswers() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length() + "\r\n\r\n" + JSON);
        UpstreamTarget target = new UpstreamTarget("interim", raw.endpoint());

        assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class, json -> {
            assertThat(json.status()).isEqualTo(200);
            assertThat(json.headers().get("link")).isEmpty();
        });
    }

    @Test
    void refusesAnUpgradeNobodyAskedFor() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");

        assertProtocolFailure(raw, "the upstream switched protocols (101)");
    }

    @Test
    void aHeadLargerThanItsBoundIsAProtocolFailure() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");

        assertProtocolFailure(raw, "the upstream's response head is larger than 16384 bytes");
    }

    @Test
    void aLongHeaderLineWithinTheBoundIsRead() {
        String big = "v".repeat(10_000);
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Big: " + big
                + "\r\nContent-Length: " + JSON.length() + "\r\n\r\n" + JSON);

        assertThat(sockets.exchange(post(new UpstreamTarget("long-line", raw.endpoint()))))
                .isInstanceOfSatisfying(HttpAnswer.Json.class, json -> assertThat(json.headers().get("x-big")).contains(big));
    }

    @Test
    void tooManyHeaderFieldsAreAProtocolFailure() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\n" + "X-Many: 1\r\n".repeat(60)
                + "X-A: 1\r\n".repeat(70) + "\r\n");

        assertProtocolFailure(raw, "more than 128 header fields");
    }

    @Test
    void invalidOrConflictingContentLengthsAreProtocolFailures() {
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n"),
                "invalid Content-Length: \"12abc\"");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                + "Content-Length: 6\r\n\r\nabcdef"), "conflicting Content-Length values: \"5, 6\"");
    }

    @Test
    void malformedHeadsAreProtocolFailuresThatSayWhatWasWrong() {
        assertProtocolFailure(keepAliveUpstream("HTTP/2 200\r\n\r\n"), "does not start with an HTTP/1.x status line: \"HTTP/2 200\"");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"), "malformed header line: \"no colon here\"");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"), "malformed header line");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n"), "folds a header line");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n"), "chunk size that is not a hexadecimal number: \"zz\"");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}}\r\n0\r\n\r\n"), "chunk is longer than its chunk size says");
        assertProtocolFailure(keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1".repeat(2000) + "\r\n"), "chunk-size line longer than 1024 bytes");
    }

    @Test
    void aHeaderValueWithCrOrLfIsRefusedWithoutSendingAnything() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        UpstreamTarget target = new UpstreamTarget("injected", raw.endpoint());

        for (Map<String, String> evil : List.of(Map.of("X-Evil", "a\r\nInjected: yes"), Map.of("X-Evil", "a\nb"),
                Map.of("X-Evil", "nul\0"), Map.of("X-Evil\r\nInjected", "yes"), Map.of("Bad Name", "x"))) {
            assertThat(sockets.exchange(new HttpRequest(target, HttpRequest.Method.POST, evil, Optional.empty(), REQUEST)))
                    .isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
                        assertThat(u.cause()).isEqualTo(Cause.PROTOCOL);
                        assertThat(u.detail()).containsAnyOf("CR, LF or NUL", "not an HTTP token").doesNotContain("\r", "\n");
                    });
        }
        assertThat(raw.connections()).isZero();
        assertThat(sockets.availablePermits("injected")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
        // a value outside ASCII is sent, as UTF-8
        assertThat(sockets.exchange(new HttpRequest(target, HttpRequest.Method.POST, Map.of("X-Name", "Zoë"),
                Optional.empty(), REQUEST))).isInstanceOf(HttpAnswer.Accepted.class);
    }

    @Test
    void http10AnswersCloseTheConnectionUnlessTheyAskForKeepAlive() {
        RawUpstream closing = keepAliveUpstream("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + JSON.length() + "\r\n\r\n" + JSON);
        RawUpstream keeping = keepAliveUpstream("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + JSON.length() + "\r\n\r\n" + JSON);

        for (int i = 0; i < 3; i++) {
            assertThat(sockets.exchange(post(new UpstreamTarget("http10", closing.endpoint())))).isInstanceOf(HttpAnswer.Json.class);
            assertThat(sockets.exchange(post(new UpstreamTarget("http10-kept", keeping.endpoint())))).isInstanceOf(HttpAnswer.Json.class);
        }
        assertThat(closing.connections()).isEqualTo(3);
        assertThat(keeping.connections()).isEqualTo(1);
    }

    @Test
    void connectionCloseFromTheUpstreamIsHonoured() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                + JSON.length() + "\r\n\r\n" + JSON);
        UpstreamTarget target = new UpstreamTarget("close", raw.endpoint());

        for (int i = 0; i < 3; i++) {
            assertThat(sockets.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);
        }
        assertThat(raw.connections()).isEqualTo(3);
        assertThat(sockets.idleConnections("close")).isZero();
    }

    @Test
    void anEventStreamClosedFromAnotherThreadUnblocksItsReaderAndLetsGo() throws Exception {
        RawUpstream raw = oneEventThenQuiet();
        UpstreamTarget target = new UpstreamTarget("held", raw.endpoint());
        HttpAnswer.EventStream stream = (HttpAnswer.EventStream) sockets.exchange(post(target));
        resources.add(stream);
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);

        CompletableFuture<UpstreamEvents.Read> blocked = CompletableFuture.supplyAsync(() -> stream.events().next(),
                command -> Thread.ofVirtual().start(command));
        Thread.sleep(200); // let it block in the read; the outcome is the same if it had not yet
        assertThat(blocked).isNotDone();
        stream.close();

        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(sockets.availablePermits("held")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
        assertThat(sockets.idleConnections("held")).isZero();
        awaitNoOpenConnection(raw);
    }

    @Test
    void anEventStreamReadToItsEndGivesItsConnectionBack() {
        RawUpstream raw = keepAliveUpstream(SSE_HEAD
                + chunk("id: 1\ndata: one\n\n") + "0\r\n\r\n");
        UpstreamTarget target = new UpstreamTarget("ended", raw.endpoint());

        for (int i = 0; i < 3; i++) {
            try (HttpAnswer.EventStream stream = (HttpAnswer.EventStream) sockets.exchange(post(target))) {
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
            }
        }
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void aStreamWaitsForItsNextEventInThePollerWithAShallowStack() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, SSE_HEAD
                    + chunk("data: first\n\n"));
            more.await();
            RawUpstream.write(socket, chunk("data: second\n\n") + "0\r\n\r\n");
            RawUpstream.awaitClientClose(socket);
        });
        try (HttpAnswer.EventStream stream = (HttpAnswer.EventStream) sockets.exchange(post(new UpstreamTarget("shallow", raw.endpoint())))) {
            assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
            CompletableFuture<UpstreamEvents.Read> next = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> next.complete(stream.events().next()));

            List<String> frames = parkedFrames(reader);
            assertThat(frames).as("where the stream waits").anyMatch(f -> f.startsWith(ReadinessPoller.class.getName()));
            assertThat(frames).as("nothing of the parser or the socket read under it")
                    .noneMatch(f -> f.startsWith(SseParser.class.getName()) || f.startsWith("sun.nio.ch.SocketInputStream"));

            more.countDown();
            assertThat(next.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                    e -> assertThat(e.event().data()).isEqualTo("second"));
            assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
        }
    }

    @Test
    void aConnectionWhoseStreamWaitedInThePollerServesTheNextExchangesInBlockingMode() throws Exception {
        List<CountDownLatch> gates = List.of(new CountDownLatch(1), new CountDownLatch(1));
        RawUpstream raw = raw(socket -> {
            for (CountDownLatch gate : gates) {
                RawUpstream.readRequest(socket);
                RawUpstream.write(socket, SSE_HEAD);
                gate.await();
                RawUpstream.write(socket, chunk("id: 7\ndata: late\n\n") + "0\r\n\r\n");
                RawUpstream.readRequest(socket);
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length()
                        + "\r\n\r\n" + JSON);
            }
            RawUpstream.awaitClientClose(socket);
        });
        UpstreamTarget target = new UpstreamTarget("reused", raw.endpoint());

        for (CountDownLatch gate : gates) {
            try (HttpAnswer.EventStream stream = (HttpAnswer.EventStream) sockets.exchange(post(target))) {
                CompletableFuture<UpstreamEvents.Read> first = CompletableFuture.supplyAsync(() -> stream.events().next(),
                        command -> Thread.ofVirtual().start(command));
                Thread.sleep(100); // waiting in the poller by now, usually; the outcome is the same if not
                gate.countDown();
                assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                        e -> assertThat(e.event().data()).isEqualTo("late"));
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
            }
            assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class,
                    json -> assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON));
        }
        assertThat(raw.connections()).as("one connection for both streams and both answers").isEqualTo(1);
    }

    @Test
    void aStreamThatGoesQuietTimesOutWhileWaitingInThePoller() throws Exception {
        RawUpstream raw = oneEventThenQuiet();
        try (SocketUpstreamAdapter quick = new SocketUpstreamAdapter(UpstreamClientConfig.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)));
             HttpAnswer.EventStream stream = (HttpAnswer.EventStream) quick.exchange(post(new UpstreamTarget("quiet", raw.endpoint())))) {
            assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
            long start = System.nanoTime();

            assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Broken.class,
                    broken -> assertThat(broken.reason()).containsIgnoringCase("timed out"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        awaitNoOpenConnection(raw);
    }

    @Test
    void anInterruptWhileAStreamWaitsInThePollerBreaksItAndClosesTheConnection() throws Exception {
        RawUpstream raw = oneEventThenQuiet();
        HttpAnswer.EventStream stream = (HttpAnswer.EventStream) sockets.exchange(post(new UpstreamTarget("interrupted", raw.endpoint())));
        resources.add(stream);
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        CompletableFuture<UpstreamEvents.Read> next = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> next.complete(stream.events().next()));
        parkedFrames(reader);

        reader.interrupt();

        assertThat(next.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(UpstreamEvents.Read.Broken.class,
                broken -> assertThat(broken.reason()).containsIgnoringCase("interrupt"));
        assertThat(sockets.idleConnections("interrupted")).isZero();
        awaitNoOpenConnection(raw);
    }

    @Test
    void aPassthroughReadWholeGivesItsConnectionBackAndOneClosedEarlyDoesNot() throws Exception {
        String text = "plain words ".repeat(1000);
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + text.length()
                + "\r\n\r\n" + text);
        UpstreamTarget target = new UpstreamTarget("plain", raw.endpoint());

        try (HttpAnswer.Passthrough whole = (HttpAnswer.Passthrough) sockets.exchange(post(target))) {
            assertThat(new String(whole.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(text);
        }
        assertThat(sockets.idleConnections("plain")).isEqualTo(1);

        try (HttpAnswer.Passthrough partly = (HttpAnswer.Passthrough) sockets.exchange(post(target))) {
            assertThat(partly.body().readNBytes(5)).hasSize(5);
        }
        assertThat(sockets.idleConnections("plain")).isZero();
        assertThat(sockets.availablePermits("plain")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
        assertThat(raw.connections()).isEqualTo(1);
        awaitNoOpenConnection(raw);
    }

    @Test
    void anErrorBodyLongerThanKeptClosesTheConnection() {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                + "e".repeat(100_000));

        assertThat(sockets.exchange(post(new UpstreamTarget("loud", raw.endpoint())))).isInstanceOfSatisfying(HttpAnswer.Failed.class,
                f -> assertThat(f.body()).hasSize(UpstreamClientConfig.defaults().maxErrorBodyBytes()));
        assertThat(sockets.idleConnections("loud")).isZero();
    }

    @Test
    void anUpstreamThatStopsReadingTheRequestTimesTheWriteOutAndLetsGo() throws Exception {
        SocketUpstreamAdapter impatient = new SocketUpstreamAdapter(UpstreamClientConfig.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500)));
        resources.add(impatient);
        CountDownLatch deaf = new CountDownLatch(1);
        RawUpstream raw = raw(socket -> {
            deaf.await(30, TimeUnit.SECONDS); // reads nothing: the socket buffers fill up and the write waits
            RawUpstream.awaitClientClose(socket);
        });
        UpstreamTarget target = new UpstreamTarget("deaf", raw.endpoint());
        HttpRequest request = new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"),
                Optional.empty(), new byte[64 << 20]);

        long started = System.nanoTime();
        CompletableFuture<HttpAnswer> answer = CompletableFuture.supplyAsync(() -> impatient.exchange(request),
                command -> Thread.ofVirtual().start(command));
        try {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                    u -> assertThat(u.cause()).isEqualTo(Cause.TIMEOUT));
        } finally {
            deaf.countDown();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(impatient.availablePermits("deaf")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
        awaitNoOpenConnection(raw);
    }

    @Test
    void closingTheAdapterClosesIdleConnectionsAndOnesGivenBackLater() throws Exception {
        RawUpstream raw = keepAliveUpstream("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        UpstreamTarget target = new UpstreamTarget("closed", raw.endpoint());
        HttpAnswer.Passthrough first = (HttpAnswer.Passthrough) sockets.exchange(post(target));
        HttpAnswer.Passthrough second = (HttpAnswer.Passthrough) sockets.exchange(post(target));
        first.body().readAllBytes();
        first.close();
        assertThat(sockets.idleConnections("closed")).isEqualTo(1);

        sockets.close();
        second.body().readAllBytes();
        second.close();

        assertThat(sockets.idleConnections("closed")).isZero();
        assertThat(raw.connections()).isEqualTo(2);
        awaitNoOpenConnection(raw);
    }

    private void assertProtocolFailure(RawUpstream raw, String detail) {
        HttpAnswer response = sockets.exchange(post(new UpstreamTarget("protocol", raw.endpoint())));
        assertThat(response).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.PROTOCOL);
            assertThat(u.detail()).contains(detail);
        });
        assertThat(sockets.idleConnections("protocol")).isZero();
        assertThat(sockets.availablePermits("protocol")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
    }

    /** An upstream that answers every request on a connection with {@code answer}, until the client closes. */
    private RawUpstream keepAliveUpstream(String answer) {
        return raw(socket -> {
            while (true) {
                RawUpstream.readRequest(socket);
                RawUpstream.write(socket, answer);
            }
        });
    }

    /** An upstream that answers with an event stream of one event, then sends nothing until the client closes. */
    private RawUpstream oneEventThenQuiet() {
        return raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, SSE_HEAD + chunk("data: only\n\n"));
            RawUpstream.awaitClientClose(socket);
        });
    }

    private RawUpstream raw(RawUpstream.Conversation conversation) {
        RawUpstream raw = RawUpstream.start(conversation);
        resources.add(raw);
        return raw;
    }

    /** The frames of {@code thread} once it is parked (waiting), as class.method names. */
    private static List<String> parkedFrames(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(thread.getState()).as("the reader parks").isEqualTo(Thread.State.WAITING);
        return java.util.Arrays.stream(thread.getStackTrace()).map(f -> f.getClassName() + "." + f.getMethodName()).toList();
    }

    private static void awaitNoOpenConnection(RawUpstream raw) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(raw.openConnections()).as("connections the upstream still holds").isZero();
    }

    private static HttpRequest post(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"), Optional.empty(), REQUEST);
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.ISO_8859_1).length) + "\r\n" + text + "\r\n";
    }
}
