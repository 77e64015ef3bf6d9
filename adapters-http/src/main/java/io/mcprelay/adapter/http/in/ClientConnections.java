package io.mcprelay.adapter.http.in;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.common.buffers.BufferData;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client connections of one listener, and their limits (docs/security.md): every byte a client
 * sends is checked by {@link RequestFraming} before Helidon parses it; a head, a body and an idle
 * keep-alive wait each have a deadline kept by one watchdog thread; and at most
 * {@link ClientLimits#maxConnections()} connections are open at once.
 *
 * <p>At the limit a new connection is not left waiting in the accept queue behind the ones that hold
 * every place (a slowloris holds them all with heads it never finishes): it takes the place of the
 * connection that has waited longest for a request head or for its next request, which is closed;
 * only when every connection is busy with a request is the new one closed at once, before any
 * thread or buffer is spent on it. A client that sends its request at once is so served during such
 * an attack, and the attacker's connections evict each other.
 *
 * <p>Helidon gives no hook for any of this but two: the socket options, whose
 * {@code configureSocket} sees each accepted channel first ({@link Options}), and the connection
 * selectors, which build the connection that reads it ({@link Selector}).
 */
public final class ClientConnections implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClientConnections.class.getName());
    private static final Duration MAX_TICK = Duration.ofMillis(250);

    private final ClientLimits limits;
    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
    private final Map<SocketAddress, ClientConnection> unclaimed = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final long tickMillis;
    private final Thread watchdog;
    private volatile boolean running = true;

    public ClientConnections(ClientLimits limits) {
        this.limits = limits;
        long shortest = Math.min(limits.headerTimeout().toMillis(), Math.min(limits.bodyTimeout().toMillis(), limits.idleTimeout().toMillis()));
        this.tickMillis = Math.max(5, Math.min(MAX_TICK.toMillis(), shortest / 10));
        this.watchdog = Thread.ofPlatform().daemon(true).name("mcp-relay-client-deadlines").start(this::watch);
    }

    ClientLimits limits() {
        return limits;
    }

    /**
     * Serves HTTP/1.1 on {@code listener} through these connections. The listener gets no other
     * protocol, so each connection goes straight to ours. Helidon's own head limits are set above
     * {@link RequestFraming}'s, which so decides first.
     */
    public WebServerConfig.Builder applyTo(WebServerConfig.Builder listener) {
        Http1Config http1 = Http1Config.builder()
                .maxPrologueLength(RequestFraming.MAX_REQUEST_LINE + 16)
                .maxHeadersSize(2 * RequestFraming.MAX_HEADER_BYTES)
                .build();
        ServerConnectionSelector parser = Http1ConnectionSelector.builder().config(http1).build();
        return listener.protocolsDiscoverServices(false)
                .protocols(java.util.List.of())
                // TCP_NODELAY: an answer or event goes out when written; with Nagle a write following an unacknowledged
                // one (an SSE head, then its first event) waited for the client's delayed ACK, ~40 ms a time
                .connectionOptions(new Options(SocketOptions.builder().tcpNoDelay(true).build(), this))
                .addConnectionSelector(new Selector(parser, this));
    }

    /** Client connections holding a place now (for tests and metrics). */
    public int openConnections() {
        return held.get();
    }

    /** Connections closed at once because every place was busy. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections closed to make room for a newer one. */
    public long evictedConnections() {
        return evicted.get();
    }

    /** Waits ended by a deadline (head, body or idle). */
    public long timedOutConnections() {
        return timedOut.get();
    }

    /** Takes a place for {@code channel}, evicting the longest waiter if needed; throws if there is none. */
    void admit(SocketChannel channel) {
        while (true) {
            int now = held.get();
            if (now < limits.maxConnections()) {
                if (held.compareAndSet(now, now + 1)) {
                    break;
                }
                continue;
            }
            // an evicted connection closes a moment later, on its own thread: a burst of new ones must not
            // outrun those closes and take the descriptors the limit keeps free
            ClientConnection victim = open.size() < closingAllowance() ? longestWaiting() : null;
            if (victim == null) {
                refused.incrementAndGet();
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);    // a reset: no TIME_WAIT kept for it
                } catch (IOException | RuntimeException e) {
                    // it is closed by the caller anyway
                }
                throw new IllegalStateException("client connection limit (" + limits.maxConnections() + ") reached, all busy");
            }
            if (victim.end(ClientConnection.EVICTED)) {
                evicted.incrementAndGet();
            }
        }
        ClientConnection client = new ClientConnection(this, channel, System.nanoTime());
        open.add(client);
        try {
            unclaimed.put(channel.getRemoteAddress(), client);
        } catch (IOException e) {
            forget(client);
            throw new IllegalStateException("accepted connection without a peer", e);
        }
    }

    /** Connections waiting for a request head now, the ones a new connection may evict (for tests). */
    int evictableConnections() {
        return (int) open.stream().filter(c -> c.evictableSince() != Long.MAX_VALUE).count();
    }

    private int closingAllowance() {
        return limits.maxConnections() + Math.max(8, limits.maxConnections() / 4);
    }

    private ClientConnection longestWaiting() {
        ClientConnection oldest = null;
        long since = Long.MAX_VALUE;
        for (ClientConnection c : open) {
            long s = c.evictableSince();
            if (s != Long.MAX_VALUE && (oldest == null || s - since < 0)) {
                oldest = c;
                since = s;
            }
        }
        return oldest;
    }

    ServerConnection connect(ServerConnectionSelector parser, ConnectionContext ctx) {
        ClientConnection client = unclaimed.remove(ctx.remotePeer().address());
        if (ctx.dataReader().available() > 0) {
            // another protocol's selector read first: those bytes would bypass the framing check
            throw new IllegalStateException("client bytes were read before the framing check; the listener must serve only HTTP/1.1 through it");
        }
        if (client == null) {
            throw new IllegalStateException("a connection that was not admitted: " + ctx.remotePeer().address());
        }
        return GuardedConnection.of(parser, ctx, client);
    }

    void slotFreed() {
        held.decrementAndGet();
    }

    void forget(ClientConnection client) {
        open.remove(client);
        client.freeSlot();
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (ClientConnection client : open) {
                if (!client.channel().isOpen()) {
                    forget(client);
                    unclaimed.values().remove(client);
                } else if (client.checkDeadlineEnded(now)) {
                    timedOut.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        watchdog.interrupt();
    }

    /** Helidon's socket options, plus admission of every accepted channel. */
    private record Options(SocketOptions delegate, ClientConnections connections) implements SocketOptions {

        @Override
        public void configureSocket(SocketChannel socket) {
            delegate.configureSocket(socket);
            connections.admit(socket);
        }

        @Override
        public void configureSocket(java.net.Socket socket) {
            delegate.configureSocket(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return delegate.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return delegate.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return delegate.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return delegate.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return delegate.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return delegate.tcpNoDelay();
        }
    }

    /** The HTTP/1.1 selector, building each connection over its {@link ClientConnection}. */
    private record Selector(ServerConnectionSelector parser, ClientConnections connections) implements ServerConnectionSelector {

        @Override
        public int bytesToIdentifyConnection() {
            return 0;
        }

        @Override
        public Support supports(BufferData data) {
            return Support.SUPPORTED;
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return parser.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            return connections.connect(parser, ctx);
        }
    }
}
