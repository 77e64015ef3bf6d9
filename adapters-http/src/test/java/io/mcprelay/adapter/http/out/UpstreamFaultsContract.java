package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault catalogue of the upstream adapter: one test per way an upstream misbehaves, over real
 * loopback sockets. Each checks the answer, then repeats the fault {@value #REPEATS} times (ten at a
 * time) and checks that nothing leaked: every pool place is back, and neither platform threads nor
 * open file descriptors (sockets) grow. Runs on each of {@link UpstreamClients},
 * through a subclass per adapter.
 */
abstract class UpstreamFaultsContract {

    private static final int REPEATS = 50;
    private static final int PARALLEL = 10;
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    private static final byte[] REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);

    private final UpstreamClientConfig config = UpstreamClientConfig.defaults()
            .withTimeouts(Duration.ofSeconds(2), READ_TIMEOUT)
            .withConnectionPoolSize(4);
    private final UpstreamClients client;
    private final UpstreamClients.Tested adapter;
    private final List<AutoCloseable> upstreams = new ArrayList<>();

    UpstreamFaultsContract(UpstreamClients client) {
        this.client = client;
        adapter = client.create(config);
    }

    /** One faulty exchange with its assertions; closes whatever stream it gets. */
    @FunctionalInterface
    private interface Fault {
        void exchangeAndCheck() throws Exception;
    }

    @AfterEach
    void stop() throws Exception {
        adapter.close();
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }

    @Test
    void connectionRefusedIsUnreachableConnect() throws Exception {
        UpstreamTarget target = target("refusing", URI.create("http://127.0.0.1:" + RawUpstream.closedPort() + "/mcp"));

        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.CONNECT));

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    /**
     * An upstream whose accept queue is full drops the SYN, as a black-holed host does: the connect
     * times out with nothing sent. That is a connect failure (a new session's initialize may go to the
     * next upstream), not a read timeout.
     */
    @Test
    void aConnectThatTimesOutIsUnreachableConnectNotTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             UpstreamClients.Tested quick = client.create(config.withTimeouts(Duration.ofMillis(300), READ_TIMEOUT))) {
            List<Socket> queued = fillAcceptQueue(full);
            try {
                UpstreamTarget target = target("black-holed", URI.create("http://127.0.0.1:" + full.getLocalPort() + "/mcp"));

                long started = System.nanoTime();
                assertThat(quick.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                        u -> assertThat(u.cause()).as(u.detail()).isEqualTo(Cause.CONNECT));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /** Connects to {@code server}, which never accepts, until a connect times out: its queue is then full. */
    private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
                queued.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return queued;
            }
        }
        throw new AssertionError("the accept queue never filled up after " + queued.size() + " connections");
    }

    @Test
    void aFreshConnectionResetAfterTheRequestIsDroppedAndSentOnlyOnce() throws Exception {
        AtomicLong arrived = new AtomicLong();
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            arrived.incrementAndGet();
            socket.setSoLinger(true, 0); // close() now sends a RST, not a FIN
        });
        UpstreamTarget target = target("resetting-fresh", raw.endpoint());
        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).as(u.detail()).isEqualTo(Cause.DROPPED));

        fault.exchangeAndCheck();
        assertThat(arrived.get()).as("sent once, on the one connection made").isEqualTo(1);
        assertThat(raw.connections()).isEqualTo(1);
        assertNothingLeaks(target, fault);
        assertThat(arrived.get()).isEqualTo(raw.connections());
    }

    @Test
    void serviceUnavailableBeforeHeadersIsFailedWithItsStatus() throws Exception {
        StubUpstream stub = stub((req, res) -> {
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            res.send("overloaded");
        });
        UpstreamTarget target = target("unavailable", stub.endpoint());

        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Failed.class, f -> {
            assertThat(f.status()).isEqualTo(503);
            assertThat(new String(f.body(), StandardCharsets.UTF_8)).isEqualTo("overloaded");
        });

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void resetInTheMiddleOfAnEventStreamGivesTheEventsThenBroken() throws Exception {
        AtomicReference<CountDownLatch> resetAfter = new AtomicReference<>(new CountDownLatch(1));
        RawUpstream raw = raw(socket -> {
            CountDownLatch hold = resetAfter.get();
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("id: r1\ndata: one\n\n") + chunk("id: r2\ndata: two\n\n"));
            hold.await(10, TimeUnit.SECONDS);
            socket.setSoLinger(true, 0); // close() now sends a RST, not a FIN
        });
        UpstreamTarget target = target("resetting", raw.endpoint());

        try (HttpAnswer.EventStream stream = eventStream(adapter.exchange(post(target)))) {
            assertThat(dataOf(stream.events().next())).isEqualTo("one");
            assertThat(dataOf(stream.events().next())).isEqualTo("two");
            resetAfter.get().countDown();
            assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Broken.class);
        }

        resetAfter.set(new CountDownLatch(0));
        assertNothingLeaks(target, () -> {
            try (HttpAnswer.EventStream stream = eventStream(adapter.exchange(post(target)))) {
                assertThat(dataOf(stream.events().next())).isEqualTo("one");
                assertThat(dataOf(stream.events().next())).isEqualTo("two");
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.Broken.class);
            }
        });
    }

    @Test
    void anEventStreamDelimitedByTheConnectionsCloseEndsThere() throws Exception {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                    + "id: c1\ndata: one\n\nid: c2\ndata: two\n\ndata: cut off");
        });
        UpstreamTarget target = target("close-delimited", raw.endpoint());
        Fault fault = () -> {
            try (HttpAnswer.EventStream stream = eventStream(adapter.exchange(post(target)))) {
                assertThat(dataOf(stream.events().next())).isEqualTo("one");
                assertThat(dataOf(stream.events().next())).isEqualTo("two");
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
            }
        };

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void aChunkedEventStreamClosedWithoutItsLastChunkBreaks() throws Exception {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("id: t1\ndata: one\n\n"));
        });
        UpstreamTarget target = target("truncated", raw.endpoint());
        Fault fault = () -> {
            try (HttpAnswer.EventStream stream = eventStream(adapter.exchange(post(target)))) {
                assertThat(dataOf(stream.events().next())).isEqualTo("one");
                assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Broken.class, broken ->
                        assertThat(broken.reason()).isEqualTo("the upstream closed the connection before its answer was complete"));
            }
        };

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void slowDribbleShorterThanTheReadTimeoutDeliversTheEventWhole() throws Exception {
        String event = "id: d1\ndata: {\"dribbled\":\"whole\"}\n\n";
        AtomicLong pauseMillis = new AtomicLong(READ_TIMEOUT.toMillis() / 4);
        StubUpstream stub = stub((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                for (int i = 0; i < event.length(); i += 4) {
                    StubUpstream.writeAndFlush(out, event.substring(i, Math.min(event.length(), i + 4)));
                    Thread.sleep(pauseMillis.get());
                }
            }
        });
        UpstreamTarget target = target("dribbling", stub.endpoint());
        Fault fault = () -> {
            try (HttpAnswer.EventStream stream = eventStream(adapter.exchange(post(target)))) {
                assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class, e -> {
                    assertThat(e.event().cursor()).contains("d1");
                    assertThat(e.event().data()).isEqualTo("{\"dribbled\":\"whole\"}");
                });
                assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
            }
        };

        long started = System.nanoTime();
        fault.exchangeAndCheck();
        // the whole event took longer than one read may wait: the read timeout is per read
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(READ_TIMEOUT);

        pauseMillis.set(5);
        assertNothingLeaks(target, fault);
    }

    @Test
    void upstreamThatNeverAnswersIsUnreachableTimeoutWithinTheReadTimeout() throws Exception {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.awaitClientClose(socket);
        });
        UpstreamTarget target = target("silent", raw.endpoint());
        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.TIMEOUT));

        long started = System.nanoTime();
        fault.exchangeAndCheck();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(READ_TIMEOUT.minusMillis(50), READ_TIMEOUT.plusSeconds(5));
        assertNothingLeaks(target, fault);
    }

    @Test
    void unknownSessionIsFailedWith404() throws Exception {
        StubUpstream stub = stub((req, res) -> {
            res.status(req.header("mcp-session-id") == null ? Status.BAD_REQUEST_400 : Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
        });
        UpstreamTarget target = target("forgetful", stub.endpoint());
        HttpRequest withSession = new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"),
                Optional.of(new UpstreamSessionId("expired-1")), REQUEST);
        Fault fault = () -> assertThat(adapter.exchange(withSession)).isInstanceOfSatisfying(HttpAnswer.Failed.class, f -> {
            assertThat(f.status()).isEqualTo(404);
            assertThat(new String(f.body(), StandardCharsets.UTF_8)).contains("Session not found");
        });

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void garbageInsteadOfHttpIsUnreachable() throws Exception {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "this is not HTTP at all\r\n\r\n");
        });
        UpstreamTarget target = target("garbage", raw.endpoint());
        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isIn(Cause.PROTOCOL, Cause.CONNECT));

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void hostileHeadsAreRefusedWithoutLeaking() throws Exception {
        List<String> heads = List.of("HTTP/1.0 100\r\nContent-Length: 2\r\n\r\nhi", "HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "HTTP/1.1 600 Beyond\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 200 OK\r\nMcp-Note: a\rb\r\nContent-Length: 0\r\n\r\n");
        AtomicLong turn = new AtomicLong();
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, heads.get((int) (turn.getAndIncrement() % heads.size())) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            RawUpstream.awaitClientClose(socket);
        });
        UpstreamTarget target = target("hostile-heads", raw.endpoint());
        Fault fault = () -> assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.PROTOCOL));

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    @Test
    void answerThatIsNeitherJsonNorAnEventStreamPassesThrough() throws Exception {
        StubUpstream stub = stub((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("plain words");
        });
        UpstreamTarget target = target("plain", stub.endpoint());
        Fault fault = () -> {
            HttpAnswer response = adapter.exchange(post(target));
            assertThat(response).isInstanceOf(HttpAnswer.Passthrough.class);
            try (HttpAnswer.Passthrough passthrough = (HttpAnswer.Passthrough) response) {
                assertThat(passthrough.status()).isEqualTo(200);
                assertThat(passthrough.contentType()).startsWith("text/plain");
                assertThat(new String(passthrough.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("plain words");
            }
        };

        fault.exchangeAndCheck();
        assertNothingLeaks(target, fault);
    }

    /**
     * Checks that the exchange just made gave its pool place back, then repeats the fault, and checks
     * that the places are all back and that platform threads and file descriptors did not grow (beyond
     * the few idle keep-alive connections the pool may keep, and generous slack for the JVM).
     */
    private void assertNothingLeaks(UpstreamTarget target, Fault fault) throws Exception {
        assertThat(adapter.availablePermits(target.name())).as("places after one exchange").isEqualTo(config.maxConcurrent());
        int threadsBefore = platformThreads();
        long descriptorsBefore = openFileDescriptors();

        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore parallel = new Semaphore(PARALLEL);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                runs.add(workers.submit(() -> {
                    parallel.acquire();
                    try {
                        fault.exchangeAndCheck();
                    } finally {
                        parallel.release();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(adapter.availablePermits(target.name())).as("places after %d exchanges", REPEATS).isEqualTo(config.maxConcurrent());
        awaitAtMost(threadsBefore + 10, UpstreamFaultsContract::platformThreads, "platform threads");
        if (descriptorsBefore >= 0) {
            // idle keep-alive connections (at most connectionPoolSize, two descriptors each over loopback) may stay
            awaitAtMost((int) descriptorsBefore + 2 * config.connectionPoolSize() + 10,
                    () -> (int) openFileDescriptors(), "open file descriptors");
        }
    }

    /** Polls for up to 10 seconds (sockets and threads may take a moment to go), then asserts. */
    private static void awaitAtMost(int bound, IntSupplier current, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (current.getAsInt() > bound && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(current.getAsInt()).as(what).isLessThanOrEqualTo(bound);
    }

    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Open file descriptors of this process, or -1 where {@code /proc} is not available. */
    private static long openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> list = Files.list(fds)) {
            return list.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StubUpstream stub(StubUpstream.Behaviour behaviour) {
        StubUpstream stub = StubUpstream.start(behaviour);
        upstreams.add(stub);
        return stub;
    }

    private RawUpstream raw(RawUpstream.Conversation conversation) {
        RawUpstream raw = RawUpstream.start(conversation);
        upstreams.add(raw);
        return raw;
    }

    private static UpstreamTarget target(String name, URI endpoint) {
        return new UpstreamTarget(name, endpoint);
    }

    private static HttpRequest post(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"), Optional.empty(), REQUEST);
    }

    private static HttpAnswer.EventStream eventStream(HttpAnswer response) {
        assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
        return (HttpAnswer.EventStream) response;
    }

    private static String dataOf(UpstreamEvents.Read read) {
        assertThat(read).isInstanceOf(UpstreamEvents.Read.Event.class);
        return ((UpstreamEvents.Read.Event) read).event().data();
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.ISO_8859_1).length) + "\r\n" + text + "\r\n";
    }
}
