package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog that keeps the upstream read timeout ({@link IoDeadlines}), on real loopback sockets:
 * a read that waits too long fails as a timeout and lets its connection go, one that keeps receiving
 * does not, and the watchdog runs only while connections are open.
 */
class IoDeadlinesTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void theTickIsATenthOfTheTimeoutWithinBounds() {
        assertThat(new IoDeadlines(Duration.ofMinutes(5)).tickNanos()).isEqualTo(IoDeadlines.MAX_TICK.toNanos());
        assertThat(new IoDeadlines(Duration.ofMillis(500)).tickNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(new IoDeadlines(Duration.ofMillis(3)).tickNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void aReadThatWaitsLongerThanTheTimeoutFailsAsATimeoutAndClosesTheConnection() throws Exception {
        IoDeadlines deadlines = new IoDeadlines(Duration.ofMillis(300));
        Peer peer = connect(deadlines);

        long started = System.nanoTime();
        assertThatThrownBy(() -> peer.connection().read()).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(peer.connection().isClosed()).isTrue();
        assertThat(peer.server().getInputStream().read()).as("the upstream sees the close").isEqualTo(-1);
        assertThat(deadlines.watched()).isZero();
        assertThatThrownBy(() -> peer.connection().read()).as("and so does a later read").isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aStreamThatKeepsReceivingWithinTheTimeoutIsNotCutHoweverLongItLasts() throws Exception {
        IoDeadlines deadlines = new IoDeadlines(Duration.ofMillis(400));
        Peer peer = connect(deadlines);
        OutputStream upstream = peer.server().getOutputStream();

        long started = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            Thread.sleep(100);
            upstream.write('a' + i);
            upstream.flush();
            assertThat(peer.connection().read()).isEqualTo('a' + i);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1_000));
        assertThat(peer.connection().isClosed()).isFalse();
        assertThat(deadlines.watched()).isOne();
    }

    @Test
    void anIdleConnectionIsNotTimedOutOnlyAReadOrWriteInProgressIs() throws Exception {
        IoDeadlines deadlines = new IoDeadlines(Duration.ofMillis(100));
        Peer peer = connect(deadlines);

        Thread.sleep(500);

        assertThat(peer.connection().isClosed()).isFalse();
        peer.server().getOutputStream().write('x');
        assertThat(peer.connection().read()).isEqualTo('x');
    }

    @Test
    void eachConnectionIsTimedByItsOwnWait() throws Exception {
        IoDeadlines deadlines = new IoDeadlines(Duration.ofMillis(300));
        Peer waiting = connect(deadlines);
        Peer answered = connect(deadlines);

        CompletableFuture<Integer> timedOut = CompletableFuture.supplyAsync(() -> read(waiting.connection()),
                command -> Thread.ofVirtual().start(command));
        CompletableFuture<Integer> fed = CompletableFuture.supplyAsync(() -> read(answered.connection()),
                command -> Thread.ofVirtual().start(command));
        Thread.sleep(100);
        answered.server().getOutputStream().write('y');

        assertThat(fed.get(5, TimeUnit.SECONDS)).isEqualTo('y');
        assertThat(timedOut.get(5, TimeUnit.SECONDS)).isEqualTo(-2);
        assertThat(waiting.connection().isClosed()).isTrue();
        assertThat(answered.connection().isClosed()).isFalse();
        assertThat(deadlines.watched()).isOne();
    }

    @Test
    void theWatchdogRunsOnlyWhileConnectionsAreOpen() throws Exception {
        IoDeadlines deadlines = new IoDeadlines(Duration.ofMillis(50));
        assertThat(deadlines.running()).isFalse();

        Peer first = connect(deadlines);
        assertThat(deadlines.running()).isTrue();
        first.connection().close();
        awaitStopped(deadlines);

        Peer second = connect(deadlines);
        assertThat(deadlines.running()).as("started again by the next connection").isTrue();
        assertThatThrownBy(() -> second.connection().read()).as("and keeping its timeout").isInstanceOf(SocketTimeoutException.class);
        awaitStopped(deadlines);
    }

    private static int read(UpstreamConnection connection) {
        try {
            return connection.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitStopped(IoDeadlines deadlines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (deadlines.running() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(deadlines.running()).as("the watchdog ended with the last connection").isFalse();
    }

    private record Peer(UpstreamConnection connection, Socket server) {
    }

    /** A loopback connection: the relay's side watched by {@code deadlines}, and the upstream's side. */
    private Peer connect(IoDeadlines deadlines) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        resources.add(listener);
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        Socket server = listener.accept();
        resources.add(server);
        UpstreamConnection connection = new UpstreamConnection(channel, channel.socket(), "http://127.0.0.1:" + listener.getLocalPort(), deadlines);
        deadlines.watch(connection);
        resources.add(connection);
        return new Peer(connection, server);
    }
}
