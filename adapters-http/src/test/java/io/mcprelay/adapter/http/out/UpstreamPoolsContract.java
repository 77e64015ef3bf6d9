package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-upstream pools: their bound on concurrent exchanges, the bounded wait, and giving places
 * back. Runs on each of {@link UpstreamClients},
 * through a subclass per adapter.
 */
abstract class UpstreamPoolsContract {

    private static final byte[] REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration QUEUE_TIMEOUT = Duration.ofMillis(300);

    /** Lets every held stream end, so the stubs can stop. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final UpstreamClients client;
    private UpstreamClients.Tested adapter;

    UpstreamPoolsContract(UpstreamClients client) {
        this.client = client;
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void saturatedPoolAnswersSaturatedWithoutSending() {
        adapter = adapter(2, QUEUE_TIMEOUT);
        StubUpstream stub = holdingStub();
        UpstreamTarget target = new UpstreamTarget("busy", stub.endpoint());
        open(target);
        open(target);

        long started = System.nanoTime();
        HttpAnswer third = adapter.exchange(post(target));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(third).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.SATURATED);
            assertThat(u.detail()).contains("at its limit of 2 concurrent requests");
        });
        assertThat(waited).isBetween(QUEUE_TIMEOUT.minusMillis(50), QUEUE_TIMEOUT.plusSeconds(5));
        assertThat(stub.requests()).hasSize(2);
        assertThat(adapter.availablePermits("busy")).isZero();
    }

    @Test
    void permitIsReleasedWhenAStreamIsClosed() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        StubUpstream stub = holdingStub();
        UpstreamTarget target = new UpstreamTarget("single", stub.endpoint());

        HttpAnswer.EventStream stream = open(target);
        assertThat(adapter.availablePermits("single")).isZero();
        stream.close();
        stream.close(); // a second close gives nothing back twice

        assertThat(adapter.availablePermits("single")).isEqualTo(1);
        open(target);
        assertThat(adapter.availablePermits("single")).isZero();
    }

    @Test
    void permitIsReleasedWhenAStreamEndsEvenBeforeItIsClosed() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        StubUpstream stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            res.send("data: only\n\n");
        });
        resources.add(stub);
        UpstreamTarget target = new UpstreamTarget("short", stub.endpoint());

        HttpAnswer.EventStream stream = (HttpAnswer.EventStream) adapter.exchange(post(target));
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);

        assertThat(adapter.availablePermits("short")).isEqualTo(1);
        stream.close();
        assertThat(adapter.availablePermits("short")).isEqualTo(1);
    }

    @Test
    void queuedExchangeProceedsWhenAPlaceFreesInTime() throws Exception {
        adapter = adapter(1, Duration.ofSeconds(20));
        StubUpstream stub = holdingStub();
        UpstreamTarget target = new UpstreamTarget("queued", stub.endpoint());
        HttpAnswer.EventStream first = open(target);

        CompletableFuture<HttpAnswer> queued = CompletableFuture.supplyAsync(() -> adapter.exchange(post(target)),
                command -> Thread.ofVirtual().start(command));
        Thread.sleep(200); // give it time to queue; the outcome is the same if it had not yet
        assertThat(queued).isNotDone();
        first.close();

        HttpAnswer second = queued.get(10, TimeUnit.SECONDS);
        assertThat(second).isInstanceOf(HttpAnswer.EventStream.class);
        resources.add((HttpAnswer.EventStream) second);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void eachUpstreamHasItsOwnPool() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        StubUpstream stubA = holdingStub();
        StubUpstream stubB = holdingStub();
        UpstreamTarget a = new UpstreamTarget("a", stubA.endpoint());
        UpstreamTarget b = new UpstreamTarget("b", stubB.endpoint());

        open(a);
        assertThat(adapter.availablePermits("a")).isZero();
        assertThat(adapter.availablePermits("b")).isEqualTo(1);

        open(b);
        assertThat(adapter.exchange(post(a))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.SATURATED));
        assertThat(stubA.requests()).hasSize(1);
        assertThat(stubB.requests()).hasSize(1);
    }

    @Test
    void getStreamsHaveABudgetOfTheirOwnAndNeverTakeTheRequestsPlaces() {
        adapter = created(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withConcurrency(1, QUEUE_TIMEOUT).withMaxStreams(2));
        StubUpstream stub = holdingStub();
        UpstreamTarget target = new UpstreamTarget("split", stub.endpoint());

        openWith(target, HttpRequest.Method.GET);
        openWith(target, HttpRequest.Method.GET);
        assertThat(adapter.availableStreamPermits("split")).isZero();
        assertThat(adapter.availablePermits("split")).as("the streams left the request place free").isEqualTo(1);
        HttpAnswer thirdStream = adapter.exchange(get(target));
        openWith(target, HttpRequest.Method.POST);

        assertThat(thirdStream).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.SATURATED);
            assertThat(u.detail()).contains("2 open GET streams").contains("--upstream-max-streams");
        });
        assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.detail()).contains("1 concurrent requests").contains("--upstream-max-concurrent"));
        assertThat(stub.requests()).extracting(StubUpstream.Recorded::method).containsExactly("GET", "GET", "POST");
    }

    /** A POST's stream re-attached by GET (after an instance died) stays in the requests' budget it was started under. */
    @Test
    void aGetInTheRequestsBudgetTakesARequestsPlaceNotAStreams() {
        adapter = created(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withConcurrency(1, QUEUE_TIMEOUT).withMaxStreams(1));
        StubUpstream stub = holdingStub();
        UpstreamTarget target = new UpstreamTarget("reattached", stub.endpoint());
        HttpRequest get = get(target);
        HttpRequest reattach = new HttpRequest(target, get.method(), get.headers(), get.sessionId(), get.body(),
                io.mcprelay.application.port.out.upstream.UpstreamPort.Budget.REQUEST);

        HttpAnswer response = adapter.exchange(reattach);
        assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
        resources.add((HttpAnswer.EventStream) response);

        assertThat(adapter.availablePermits("reattached")).as("the request's place is taken").isZero();
        assertThat(adapter.availableStreamPermits("reattached")).as("the streams' place is free").isEqualTo(1);
        assertThat(stub.requests()).extracting(StubUpstream.Recorded::method).containsExactly("GET");
    }

    private UpstreamClients.Tested created(UpstreamClientConfig config) {
        UpstreamClients.Tested created = client.create(config);
        resources.add(created);
        return created;
    }

    private HttpAnswer.EventStream openWith(UpstreamTarget target, HttpRequest.Method method) {
        HttpAnswer response = adapter.exchange(method == HttpRequest.Method.GET ? get(target) : post(target));
        assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
        HttpAnswer.EventStream stream = (HttpAnswer.EventStream) response;
        resources.add(stream);
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        return stream;
    }

    private static HttpRequest get(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.GET, java.util.Map.of("Accept", "text/event-stream"),
                java.util.Optional.empty(), new byte[0]);
    }

    // ---- pooled connections the upstream closed while idle ---------------------------------------

    @Test
    void aPooledConnectionResetWhenReusedIsRetriedOnceOnAFreshOne() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        // the first connection answers one request, then drops the next unread (a RST), as a server closing it idle does
        KeepAliveUpstream upstream = keepAlive((connection, request) -> connection == 1 && request == 2 ? Then.RESET : Then.ANSWER);
        UpstreamTarget target = new UpstreamTarget("stale-reset", upstream.raw.endpoint());

        assertAnswered(adapter.exchange(post(target)));
        assertAnswered(adapter.exchange(post(target)));

        assertThat(upstream.raw.connections()).isEqualTo(2);
        assertThat(upstream.processed).as("each request processed once").hasValue(2);
        assertThat(adapter.availablePermits("stale-reset")).isEqualTo(1);
    }

    @Test
    void aPooledConnectionClosedWhenReusedIsRetriedOnceOnAFreshOne() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        KeepAliveUpstream upstream = keepAlive((connection, request) -> connection == 1 && request == 2 ? Then.CLOSE : Then.ANSWER);
        UpstreamTarget target = new UpstreamTarget("stale-eof", upstream.raw.endpoint());

        assertAnswered(adapter.exchange(post(target)));
        assertAnswered(adapter.exchange(post(target)));

        assertThat(upstream.raw.connections()).isEqualTo(2);
        assertThat(upstream.processed).hasValue(2);
    }

    @Test
    void theFreshConnectionOfARetryFailingAfterTheRequestIsDroppedAndNotRetriedAgain() {
        adapter = adapter(1, QUEUE_TIMEOUT);
        KeepAliveUpstream upstream = keepAlive((connection, request) -> connection == 1 && request == 1 ? Then.ANSWER : Then.RESET);
        UpstreamTarget target = new UpstreamTarget("stale-then-dead", upstream.raw.endpoint());
        assertAnswered(adapter.exchange(post(target)));

        assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.DROPPED));

        assertThat(upstream.raw.connections()).as("the pooled one, then one fresh one").isEqualTo(2);
        assertThat(upstream.arrived).hasValue(3);
    }

    @Test
    void aPooledConnectionThatTimesOutIsNotRetried() {
        adapter = client.create(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400))
                .withConcurrency(1, QUEUE_TIMEOUT));
        resources.add(adapter);
        KeepAliveUpstream upstream = keepAlive((connection, request) -> request == 1 ? Then.ANSWER : Then.SILENT);
        UpstreamTarget target = new UpstreamTarget("stale-silent", upstream.raw.endpoint());
        assertAnswered(adapter.exchange(post(target)));

        assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.TIMEOUT));

        assertThat(upstream.raw.connections()).isEqualTo(1);
        assertThat(upstream.arrived).hasValue(2);
    }

    @Test
    void anUpstreamClosingIdleConnectionsAfter300MillisecondsLosesNoRequest() throws Exception {
        adapter = adapter(2, QUEUE_TIMEOUT);
        KeepAliveUpstream upstream = keepAlive((connection, request) -> Then.ANSWER);
        upstream.idleTimeoutMillis = 300;
        UpstreamTarget target = new UpstreamTarget("idle-closing", upstream.raw.endpoint());

        for (int i = 0; i < 6; i++) {
            assertAnswered(adapter.exchange(post(target)));
            assertAnswered(adapter.exchange(post(target)));
            Thread.sleep(i % 2 == 0 ? 450 : 290); // past the upstream's idle timeout, or just at it
        }

        assertThat(upstream.processed).hasValue(12);
        assertThat(upstream.arrived.get()).isLessThanOrEqualTo(12 + 6);
    }

    private static void assertAnswered(HttpAnswer response) {
        assertThat(response).isInstanceOfSatisfying(HttpAnswer.Json.class, json -> assertThat(json.status()).isEqualTo(200));
    }

    /** What {@link KeepAliveUpstream} does after reading a request. */
    private enum Then { ANSWER, RESET, CLOSE, SILENT }

    /** Decides, for the n-th connection (from 1) and the m-th request read on it (from 1), what to do. */
    @FunctionalInterface
    private interface Script {
        Then after(int connection, int request);
    }

    /** A keep-alive upstream below HTTP: answers with JSON and keeps the connection, or does what the script says. */
    private static final class KeepAliveUpstream {
        final AtomicInteger arrived = new AtomicInteger();
        final AtomicInteger processed = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        volatile int idleTimeoutMillis;
        RawUpstream raw;

        void talk(java.net.Socket socket, Script script) throws Exception {
            int connection = connections.incrementAndGet();
            for (int request = 1; ; request++) {
                socket.setSoTimeout(idleTimeoutMillis);
                try {
                    RawUpstream.readRequest(socket);
                } catch (java.net.SocketTimeoutException idle) {
                    return; // closes the connection idle, as servers do after their keep-alive timeout
                }
                arrived.incrementAndGet();
                socket.setSoTimeout(0);
                switch (script.after(connection, request)) {
                    case ANSWER -> {
                        processed.incrementAndGet();
                        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
                        RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length() + "\r\n\r\n" + body);
                    }
                    case RESET -> {
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case CLOSE -> {
                        return;
                    }
                    case SILENT -> {
                        RawUpstream.awaitClientClose(socket);
                        return;
                    }
                }
            }
        }
    }

    private KeepAliveUpstream keepAlive(Script script) {
        KeepAliveUpstream upstream = new KeepAliveUpstream();
        upstream.raw = RawUpstream.start(socket -> upstream.talk(socket, script));
        resources.add(upstream.raw);
        return upstream;
    }

    private UpstreamClients.Tested adapter(int maxConcurrent, Duration queueTimeout) {
        UpstreamClients.Tested created = client.create(UpstreamClientConfig.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withConcurrency(maxConcurrent, queueTimeout));
        resources.add(created);
        return created;
    }

    /** An upstream that answers every request with an event stream, sends one event and holds it open. */
    private StubUpstream holdingStub() {
        StubUpstream stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "data: held\n\n");
                release.await(30, TimeUnit.SECONDS);
            }
        });
        resources.add(stub);
        return stub;
    }

    /** Opens a held stream, reads its first event (so the upstream has the request), and keeps it for closing. */
    private HttpAnswer.EventStream open(UpstreamTarget target) {
        HttpAnswer response = adapter.exchange(post(target));
        assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
        HttpAnswer.EventStream stream = (HttpAnswer.EventStream) response;
        resources.add(stream);
        assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        return stream;
    }

    private static HttpRequest post(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"), Optional.empty(), REQUEST);
    }
}
