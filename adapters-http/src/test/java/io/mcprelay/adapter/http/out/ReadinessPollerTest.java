package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadinessPoller} over a real loopback TCP connection: a wait ends when bytes arrive, when
 * the peer closes, on {@link ReadinessPoller.Registration#wake()} and on an interrupt; a channel taken
 * out of the poller goes back to blocking mode and can wait in it again.
 */
class ReadinessPollerTest {

    private final ReadinessPoller poller = ReadinessPoller.shared();
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel peer;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        peer = server.accept();
        client.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        peer.close();
        server.close();
        poller.flush();
    }

    @Test
    void aWaitEndsWhenBytesArriveAndTheyAreStillThereToRead() throws Exception {
        ReadinessPoller.Registration registration = poller.register(client);
        CompletableFuture<Void> waited = waitOn(registration);
        Thread.sleep(100); // usually parked by now; the outcome is the same if not
        assertThat(waited).isNotDone();

        peer.write(ByteBuffer.wrap(new byte[] {42}));

        waited.get(10, TimeUnit.SECONDS);
        ByteBuffer read = ByteBuffer.allocate(4);
        assertThat(client.read(read)).isEqualTo(1);
        assertThat(read.get(0)).isEqualTo((byte) 42);
    }

    @Test
    void aRegistrationWaitsAgainAfterEachReadiness() throws Exception {
        ReadinessPoller.Registration registration = poller.register(client);
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> waited = waitOn(registration);
            peer.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            waited.get(10, TimeUnit.SECONDS);
            ByteBuffer read = ByteBuffer.allocate(4);
            assertThat(client.read(read)).isEqualTo(1);
            assertThat(read.get(0)).isEqualTo((byte) i);
        }
    }

    @Test
    void thePeerClosingEndsTheWaitAndTheReadSeesTheEnd() throws Exception {
        ReadinessPoller.Registration registration = poller.register(client);
        CompletableFuture<Void> waited = waitOn(registration);
        peer.close();

        waited.get(10, TimeUnit.SECONDS);
        assertThat(client.read(ByteBuffer.allocate(4))).isEqualTo(-1);
    }

    @Test
    void wakeEndsAWaitWithNothingToRead() throws Exception {
        ReadinessPoller.Registration registration = poller.register(client);
        CompletableFuture<Void> waited = waitOn(registration);
        Thread.sleep(100);
        assertThat(waited).isNotDone();

        registration.wake();

        waited.get(10, TimeUnit.SECONDS);
        assertThat(client.read(ByteBuffer.allocate(4))).isZero();
    }

    @Test
    void anInterruptEndsAWaitAndKeepsTheInterruptStatus() throws Exception {
        ReadinessPoller.Registration registration = poller.register(client);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            registration.await();
            interrupted.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(100);
        assertThat(interrupted).isNotDone();

        waiter.interrupt();

        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledChannelGoesBackToBlockingModeAndCanWaitInThePollerAgain() throws Exception {
        ReadinessPoller.Registration first = poller.register(client);
        CompletableFuture<Void> waited = waitOn(first);
        peer.write(ByteBuffer.wrap(new byte[] {1}));
        waited.get(10, TimeUnit.SECONDS);

        first.cancel();
        assertThat(first.registered()).isFalse();
        client.configureBlocking(true);
        ByteBuffer one = ByteBuffer.allocate(1);
        assertThat(client.read(one)).as("a blocking read of the byte already there").isEqualTo(1);

        // registered again at once, before the selector may have flushed the cancelled key
        client.configureBlocking(false);
        ReadinessPoller.Registration second = poller.register(client);
        CompletableFuture<Void> again = waitOn(second);
        peer.write(ByteBuffer.wrap(new byte[] {2}));
        again.get(10, TimeUnit.SECONDS);
        assertThat(second.registered()).isTrue();
        ByteBuffer two = ByteBuffer.allocate(1);
        assertThat(client.read(two)).isEqualTo(1);
        assertThat(two.get(0)).isEqualTo((byte) 2);
    }

    @Test
    void aChannelClosedBeforeItsRegistrationIsAppliedWakesItsWaiter() throws Exception {
        client.close();
        ReadinessPoller.Registration registration = poller.register(client);

        waitOn(registration).get(10, TimeUnit.SECONDS);
        assertThat(registration.registered()).isFalse();
    }

    @Test
    void manyChannelsWaitingAndWokenAtOnceLoseNoWakeUp() throws Exception {
        int channels = 200;
        List<SocketChannel> clients = new ArrayList<>();
        List<SocketChannel> peers = new ArrayList<>();
        try {
            for (int i = 0; i < channels; i++) {
                SocketChannel one = SocketChannel.open(server.getLocalAddress());
                one.configureBlocking(false);
                clients.add(one);
                peers.add(server.accept());
            }
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<Void>> waits = new ArrayList<>();
                for (SocketChannel one : clients) {
                    waits.add(waitOn(poller.register(one)));
                }
                for (SocketChannel peer : peers) {
                    peer.write(ByteBuffer.wrap(new byte[] {(byte) round}));
                }
                CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                for (SocketChannel one : clients) {
                    ByteBuffer read = ByteBuffer.allocate(4);
                    assertThat(one.read(read)).isEqualTo(1);
                    assertThat(read.get(0)).isEqualTo((byte) round);
                }
            }
        } finally {
            for (SocketChannel one : clients) {
                one.close();
            }
            for (SocketChannel peer : peers) {
                peer.close();
            }
        }
    }

    private static CompletableFuture<Void> waitOn(ReadinessPoller.Registration registration) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            registration.await();
            done.complete(null);
        });
        return done;
    }
}
