package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The upstream port on a small HTTP/1.1 client of our own over pooled blocking sockets: the same
 * answers as {@link HelidonUpstreamAdapter}, at a fraction of its cost per request and per open
 * stream (docs/benchmarks.md: the upstream exchange through WebClient was half the relay's CPU, and
 * its 8 KiB read buffer per pending read most of an open stream's memory). Virtual threads make
 * blocking sockets cheap; the relay needs only POST, GET and DELETE, {@code Content-Length} and
 * chunked bodies, and event streams.
 *
 * <p>Each request is sent in one write, and processed by the upstream at most once: it is sent a
 * second time only when a pooled connection turns out to have been closed by the upstream while
 * idle, before one byte of an answer came (see {@link #send}). The answer is classified
 * by status and {@code Content-Type}: JSON answers are read whole (bounded); event streams are
 * handed over open, to be read event by event; anything else streams through.
 *
 * <p>Each upstream (by name) has its own {@link ConnectionPool}: at most {@code maxConcurrent}
 * exchanges in flight, a bounded wait of {@code queueTimeout} for a place (then
 * {@link io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause#SATURATED} without sending anything), and up to
 * {@code connectionPoolSize} idle keep-alive connections, with no thread per idle connection. A
 * place is held until the answer is read whole, or, for an {@link HttpAnswer.EventStream} or
 * {@link HttpAnswer.Passthrough}, until the caller closes it (an event stream also gives it
 * back as soon as it ends or breaks); it is given back exactly once, on every path. A connection is
 * reused only after a body read to its end on a keep-alive connection; one that failed is closed.
 */
public final class SocketUpstreamAdapter extends HttpUpstreamAdapter {

    private static final System.Logger LOG = System.getLogger(SocketUpstreamAdapter.class.getName());

    private final UpstreamClientConfig config;
    private final SocketConnector connector;
    private final ConcurrentMap<String, ConnectionPool> pools = new ConcurrentHashMap<>();
    /** When the idle connections of every pool are next checked for expiry (see {@link #closeExpiredIdle()}). */
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime());

    /** With the JVM's default TLS context for https upstreams. */
    public SocketUpstreamAdapter(UpstreamClientConfig config) {
        this(config, null);
    }

    /** @param tls the TLS context for https upstreams (its trust decides which certificates are accepted) */
    public SocketUpstreamAdapter(UpstreamClientConfig config, SSLContext tls) {
        this.config = Objects.requireNonNull(config, "config");
        this.connector = new SocketConnector(config, tls);
    }

    @Override
    HttpAnswer exchange(HttpRequest request) {
        closeExpiredIdle();
        String upstream = request.target().name();
        ConnectionPool pool = poolOf(upstream);
        boolean stream = request.budget() == Budget.STREAM;
        Optional<PoolPlace> place = stream ? pool.acquireStream(config.queueTimeout()) : pool.acquire(config.queueTimeout());
        if (place.isEmpty()) {
            return UpstreamFailures.saturated(upstream, config, stream, Thread.currentThread().isInterrupted());
        }
        HttpAnswer answer = null;
        try {
            answer = send(pool, place.get(), request);
            return answer;
        } finally {
            // open streams give their place back when closed; every other answer is complete here
            if (!(answer instanceof HttpAnswer.EventStream || answer instanceof HttpAnswer.Passthrough)) {
                place.get().close();
            }
        }
    }

    /** Free places in the upstream's pool, for tests. */
    int availablePermits(String upstream) {
        ConnectionPool pool = pools.get(upstream);
        return pool == null ? config.maxConcurrent() : pool.availablePermits();
    }

    /** Free places for GET streams to the upstream, for tests. */
    int availableStreamPermits(String upstream) {
        ConnectionPool pool = pools.get(upstream);
        return pool == null ? config.maxStreams() : pool.availableStreamPermits();
    }

    /** Idle connections kept for the upstream, for tests. */
    int idleConnections(String upstream) {
        ConnectionPool pool = pools.get(upstream);
        return pool == null ? 0 : pool.idleConnections();
    }

    /** Closes the idle pooled connections; streams still open keep their connection until closed. */
    @Override
    public void close() {
        pools.values().forEach(ConnectionPool::close);
    }

    /**
     * At most once per {@link ConnectionPool#SWEEP_EVERY}, on the calling thread: closes the idle
     * connections that expired in every pool, so that an upstream no longer called does not keep
     * sockets the upstream has closed (half-closed, until this side closes them) for the adapter's
     * life. No thread watches idle connections; traffic to any upstream does.
     */
    private void closeExpiredIdle() {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + ConnectionPool.SWEEP_EVERY.toNanos())) {
            pools.values().forEach(pool -> pool.closeExpired(now));
        }
    }

    private ConnectionPool poolOf(String upstream) {
        ConnectionPool pool = pools.get(upstream);
        return pool != null ? pool
                : pools.computeIfAbsent(upstream, name -> new ConnectionPool(config.maxConcurrent(), config.maxStreams(), config.connectionPoolSize()));
    }

    /**
     * Sends the request on a pooled connection if there is one, else on a fresh one. A pooled
     * connection that fails before one byte of an answer (reset, broken pipe, end of stream; not a
     * timeout) was closed by the upstream while idle, in the moment between the check before its
     * reuse and the write: the request goes once more, on a fresh connection (see
     * {@link UpstreamFailures#isStaleConnectionFailure}). Only a fresh connection's failure speaks
     * about the upstream: one that cannot be made is {@code CONNECT} (nothing sent), one that breaks
     * after the request was written is {@code DROPPED}.
     */
    private HttpAnswer send(ConnectionPool pool, PoolPlace place, HttpRequest request) {
        String upstream = request.target().name();
        Endpoint endpoint;
        RequestEncoder.Encoded bytes;
        try {
            endpoint = pool.endpoint(request.endpoint());
            bytes = RequestEncoder.encode(endpoint, request);
        } catch (RuntimeException e) {
            return UpstreamFailures.classify(upstream, e);
        }
        UpstreamConnection pooled = pool.takeIdle(endpoint.origin());
        if (pooled != null) {
            Optional<HttpAnswer> answer = attempt(pool, place, pooled, bytes, upstream, true, request.longLived());
            if (answer.isPresent()) {
                return answer.get();
            }
            LOG.log(System.Logger.Level.DEBUG, "upstream {0}: a pooled connection was closed by the upstream while idle;"
                    + " sending the request once more on a fresh connection", upstream);
        }
        UpstreamConnection fresh;
        try {
            fresh = connector.connect(endpoint);
        } catch (IOException e) {
            return UpstreamFailures.notConnected(upstream, e); // refused, unknown host, connect timed out: nothing sent
        } catch (RuntimeException e) {
            return UpstreamFailures.classify(upstream, e);
        }
        return attempt(pool, place, fresh, bytes, upstream, false, request.longLived()).orElseThrow();
    }

    /**
     * One exchange on {@code connection}: the answer, or, for a {@code reused} connection that failed
     * stale (before one byte of an answer), empty, so that the request goes on a fresh one.
     */
    private Optional<HttpAnswer> attempt(ConnectionPool pool, PoolPlace place, UpstreamConnection connection,
                                               RequestEncoder.Encoded bytes, String upstream, boolean reused, boolean longLived) {
        long receivedBefore = connection.received();
        try {
            connection.send(bytes.bytes(), bytes.length());
            ResponseHead head = ResponseHeadReader.read(connection, config.headTimeout());
            return Optional.of(classify(head, new SocketExchange(pool, connection, head, place, longLived)));
        } catch (IOException | RuntimeException e) {
            connection.close();
            if (reused && connection.received() == receivedBefore && UpstreamFailures.isStaleConnectionFailure(e)) {
                return Optional.empty();
            }
            return Optional.of(UpstreamFailures.classifySent(upstream, e));
        }
    }

    private HttpAnswer classify(ResponseHead head, SocketExchange exchange) throws IOException {
        return AnswerClassifier.classify(new AnswerClassifier.Received() {
            @Override
            public int status() {
                return head.status();
            }

            @Override
            public HttpAnswer.Headers headers() {
                return head.headers();
            }

            @Override
            public String contentType() {
                return head.contentType();
            }

            @Override
            public long declaredLength() {
                return head.declaredLength();
            }

            @Override
            public byte[] readAtMost(int max) throws IOException {
                return AnswerBodies.readAtMost(exchange.body(), head.declaredLength(), max);
            }

            @Override
            public void release() {
                exchange.release();
            }

            @Override
            public io.mcprelay.application.port.out.upstream.UpstreamEvents events(int maxEventBytes) {
                return new SocketEventSource(exchange, maxEventBytes);
            }

            @Override
            public java.io.InputStream releasingBody() {
                return exchange.releasingStream();
            }
        }, config);
    }
}
