package io.mcprelay.adapter.http.out;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream's places and idle connections, for {@link SocketUpstreamAdapter}.
 *
 * <p><b>Places.</b> Two fair semaphores, as in {@link UpstreamPools}: {@code maxConcurrent} places for
 * requests and {@code maxStreams} for GET event streams, so that long-lived streams cannot take the
 * places short requests need. An exchange holds a {@link PoolPlace} from before its request is sent until
 * its answer is read whole or its stream is closed, so the places bound the connections in use.
 *
 * <p><b>Idle connections.</b> At most {@code maxIdle} keep-alive connections are kept, newest first
 * (LIFO: the most recently used connection is the likeliest to be still open, and the oldest ones
 * age out). No thread watches them: each is checked for a close by the upstream before it is reused
 * ({@link UpstreamConnection#isStale()}, a read that does not wait), and one idle for more than
 * {@link #MAX_IDLE} is closed unused: when the pool is next used, or by {@link #closeExpired(long)}.
 */
final class ConnectionPool implements AutoCloseable {

    /**
     * Idle longer than this, a connection is dropped: below the 5 s keep-alive timeout of Node's HTTP
     * server (where most MCP servers run), so that the relay lets go before the upstream does and
     * does not send a request into a connection the upstream is closing.
     */
    static final Duration MAX_IDLE = Duration.ofSeconds(4);
    /** How often traffic sweeps expired idle connections out of every pool ({@link #closeExpired(long)}). */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    private static final long MAX_IDLE_NANOS = MAX_IDLE.toNanos();

    private final Semaphore places;
    private final Semaphore streamPlaces;
    private final int maxIdle;
    /** Newest first. Guarded by {@code this}. */
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private boolean closed;
    private volatile Endpoint endpoint;

    ConnectionPool(int maxConcurrent, int maxIdle) {
        this(maxConcurrent, maxConcurrent, maxIdle);
    }

    ConnectionPool(int maxConcurrent, int maxStreams, int maxIdle) {
        this.places = new Semaphore(maxConcurrent, true);
        this.streamPlaces = new Semaphore(maxStreams, true);
        this.maxIdle = maxIdle;
    }

    /**
     * Waits up to {@code queueTimeout} for a request place. Empty when none came in time, or when the
     * waiting thread was interrupted (its interrupt flag is then set again).
     */
    Optional<PoolPlace> acquire(Duration queueTimeout) {
        return PoolPlace.acquire(places, queueTimeout);
    }

    /** As {@link #acquire(Duration)}, for a place in the GET streams' own budget. */
    Optional<PoolPlace> acquireStream(Duration queueTimeout) {
        return PoolPlace.acquire(streamPlaces, queueTimeout);
    }

    int availablePermits() {
        return places.availablePermits();
    }

    int availableStreamPermits() {
        return streamPlaces.availablePermits();
    }

    /** The endpoint of {@code uri}, worked out once while the upstream's URI stays the same. */
    Endpoint endpoint(URI uri) {
        Endpoint known = endpoint;
        if (known != null && (known.uri() == uri || known.uri().equals(uri))) {
            return known;
        }
        Endpoint fresh = Endpoint.of(uri);
        endpoint = fresh;
        return fresh;
    }

    /** The newest usable idle connection to {@code origin}, or null; the unusable ones met on the way are closed. */
    UpstreamConnection takeIdle(String origin) {
        while (true) {
            UpstreamConnection connection;
            synchronized (this) {
                connection = idle.pollFirst();
            }
            if (connection == null) {
                return null;
            }
            long idleFor = System.nanoTime() - connection.idleSince();
            if (idleFor > MAX_IDLE_NANOS || !connection.origin().equals(origin) || connection.isStale()) {
                connection.close();
                continue;
            }
            return connection;
        }
    }

    /** Keeps a connection whose last answer was read whole, or closes it when the pool is closed. */
    void giveBack(UpstreamConnection connection) {
        long now = System.nanoTime();
        connection.markIdle(now);
        List<UpstreamConnection> dropped = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                dropped.add(connection);
            } else {
                idle.addFirst(connection);
                while (idle.size() > maxIdle || !idle.isEmpty() && now - idle.peekLast().idleSince() > MAX_IDLE_NANOS) {
                    dropped.add(idle.pollLast());
                }
            }
        }
        dropped.forEach(UpstreamConnection::close);
    }

    /** Closes the idle connections past {@link #MAX_IDLE}, oldest first, without waiting for this upstream's next use. */
    void closeExpired(long now) {
        List<UpstreamConnection> dropped = new ArrayList<>(0);
        synchronized (this) {
            while (!idle.isEmpty() && now - idle.peekLast().idleSince() > MAX_IDLE_NANOS) {
                dropped.add(idle.pollLast());
            }
        }
        dropped.forEach(UpstreamConnection::close);
    }

    /** Idle connections kept, for tests. */
    synchronized int idleConnections() {
        return idle.size();
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    @Override
    public void close() {
        List<UpstreamConnection> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(idle);
            idle.clear();
        }
        dropped.forEach(UpstreamConnection::close);
    }
}
