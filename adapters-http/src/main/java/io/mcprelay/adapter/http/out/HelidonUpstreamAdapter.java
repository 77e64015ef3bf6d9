package io.mcprelay.adapter.http.out;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.access.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The upstream port on Helidon WebClient: sends each request once (a second time only on a fresh
 * connection after a pooled one that the upstream had closed while idle), then classifies the answer by
 * status and {@code Content-Type}. JSON answers are read whole (bounded); event streams are handed
 * over open, to be read event by event; anything else streams through.
 *
 * <p>Each upstream has its own pool ({@link UpstreamPools}): its own connections (not Helidon's
 * process-wide cache), explicit connect and read timeouts, {@code TCP_NODELAY}, keep-alive, no
 * redirects, and at most {@code maxConcurrent} exchanges in flight. An exchange that finds no place
 * within {@code queueTimeout} is answered {@link io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause#SATURATED}
 * without sending anything. A {@linkplain HttpRequest#longLived() long-lived} request (a 2026-07-28
 * {@code subscriptions/listen}) is read without the read timeout. A place is held until the answer is read whole, or, for an
 * {@link HttpAnswer.EventStream} or {@link HttpAnswer.Passthrough}, until the caller
 * closes it (an event stream also gives it back as soon as it ends or breaks); it is given back
 * exactly once, on every path.
 */
public final class HelidonUpstreamAdapter extends HttpUpstreamAdapter {

    private static final System.Logger LOG = System.getLogger(HelidonUpstreamAdapter.class.getName());
    private static final String ACCEPT_BOTH = MediaTypes.JSON + ", " + MediaTypes.EVENT_STREAM;

    private final UpstreamClientConfig config;
    private final UpstreamPools pools;
    private final ScheduledThreadPoolExecutor headDeadlines = HeadDeadline.timer();

    public HelidonUpstreamAdapter(UpstreamClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.pools = new UpstreamPools(config);
    }

    @Override
    HttpAnswer exchange(HttpRequest request) {
        String upstream = request.target().name();
        boolean stream = request.budget() == Budget.STREAM;
        Optional<PoolPlace> place = pools.acquire(upstream, stream);
        if (place.isEmpty()) {
            return UpstreamFailures.saturated(upstream, config, stream, Thread.currentThread().isInterrupted());
        }
        PoolPlace lease = place.get();
        HttpAnswer answer = null;
        try {
            answer = send(pools.client(upstream), lease, request);
            return answer;
        } finally {
            // open streams give their place back when closed; every other answer is complete here
            if (!(answer instanceof HttpAnswer.EventStream || answer instanceof HttpAnswer.Passthrough)) {
                lease.close();
            }
        }
    }

    /** Free places in the upstream's pool, for tests. */
    int availablePermits(String upstream) {
        return pools.availablePermits(upstream);
    }

    /** Free places for GET streams to the upstream, for tests. */
    int availableStreamPermits(String upstream) {
        return pools.availableStreamPermits(upstream);
    }

    /** Closes the idle pooled connections; streams still open keep their connection until closed. */
    @Override
    public void close() {
        pools.close();
        headDeadlines.shutdownNow();
    }

    /**
     * Sends the request, on a pooled connection if Helidon has one. A pooled connection that fails
     * with a reset or an early end of stream (not a timeout) was closed by the upstream while idle:
     * the request goes once more, on a connection of its own ({@code Connection: close}, so that it
     * is not taken from the pool), as in {@link SocketUpstreamAdapter}. Helidon does not say whether
     * a byte of an answer had come on the pooled connection before it failed; an upstream that
     * breaks off an answer's head on a reused connection has the request sent twice (our own
     * client, which counts the bytes, does not).
     */
    private HttpAnswer send(WebClient client, PoolPlace lease, HttpRequest request) {
        String upstream = request.target().name();
        FreshConnections.Attempt<HttpClientResponse> sent = attempt(client, request, true);
        if (sent.failed() && !sent.openedConnection() && !UpstreamFailures.neverConnected(sent.failure())
                && UpstreamFailures.isStaleConnectionFailure(sent.failure())) {
            LOG.log(System.Logger.Level.DEBUG, "upstream {0}: a pooled connection was closed by the upstream while idle;"
                    + " sending the request once more on a fresh connection", upstream);
            sent = attempt(client, request, false);
        }
        if (sent.failed()) {
            // a connection that was made had the request written into it
            return UpstreamFailures.neverConnected(sent.failure()) ? UpstreamFailures.notConnected(upstream, sent.failure())
                    : UpstreamFailures.classifySent(upstream, sent.failure());
        }
        HttpClientResponse response = sent.result();
        try {
            return classify(response, lease);
        } catch (IOException | RuntimeException e) {
            response.close();
            return UpstreamFailures.classifySent(upstream, e);
        }
    }

    /**
     * One call of the request whose answer's head is checked ({@link #checked}), within the head's
     * deadline: the first byte may take the read timeout, the head must then be whole within the head
     * timeout. A deadline that fired turns the failure into a timeout (never a stale connection).
     */
    private FreshConnections.Attempt<HttpClientResponse> attempt(WebClient client, HttpRequest request, boolean keepAlive) {
        HeadDeadline deadline = HeadDeadline.start(headDeadlines, config.readTimeout().plus(config.headTimeout()));
        FreshConnections.Attempt<HttpClientResponse> sent =
                FreshConnections.closingOnFailure(() -> checked(call(client, request, keepAlive)));
        if (deadline.end() && sent.failed()) {
            return new FreshConnections.Attempt<>(null, new UncheckedIOException(
                    new SocketTimeoutException("the upstream's response head took longer than its deadline")), sent.openedConnection());
        }
        return sent;
    }

    /** One call of the request, on a pooled connection ({@code keepAlive}) or on one of its own. */
    private static HttpClientResponse call(WebClient client, HttpRequest request, boolean keepAlive) {
        HttpClientRequest call = client.method(Method.create(request.method().name()))
                .uri(request.endpoint())
                .followRedirects(false)
                .keepAlive(keepAlive);
        request.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
        if (!call.headers().contains(HeaderNames.ACCEPT)) {
            call.header(HeaderNames.ACCEPT, ACCEPT_BOTH);
        }
        request.sessionId().ifPresent(id -> call.header(HeaderNames.create("Mcp-Session-Id"), id.value()));
        if (request.longLived()) {
            // Helidon sets each request's read timeout on its socket (0: none) before writing it; the
            // head still has its deadline (attempt), and the next request on the connection sets its own
            call.readTimeout(Duration.ZERO);
        }
        return request.method() == HttpRequest.Method.POST ? call.submit(request.body()) : call.request();
    }

    /**
     * The answer if its head is acceptable ({@link HelidonAnswerChecks}); else it throws, inside
     * {@link FreshConnections#closingOnFailure}, which closes a connection opened for it. The refused
     * answer is not closed: Helidon would then drain what its head declares and pool the connection
     * with whatever the upstream sent after it, which the next request would read as its answer
     * (UpstreamFaultsContract caught that). A reused connection is so dropped unclosed, its socket
     * left to the JVM's cleaner: Helidon tells nobody which connection it reused.
     */
    private static HttpClientResponse checked(HttpClientResponse response) {
        HelidonAnswerChecks.check(response);
        return response;
    }

    private HttpAnswer classify(HttpClientResponse response, PoolPlace lease) throws IOException {
        HttpAnswer.Headers headers = headersOf(response);
        long declared = response.headers().contentLength().orElse(-1L);
        return AnswerClassifier.classify(new AnswerClassifier.Received() {
            @Override
            public int status() {
                return response.status().code();
            }

            @Override
            public HttpAnswer.Headers headers() {
                return headers;
            }

            @Override
            public String contentType() {
                return response.headers().contentType().map(HttpMediaType::text).orElse("");
            }

            @Override
            public long declaredLength() {
                return declared;
            }

            @Override
            public byte[] readAtMost(int max) {
                return HelidonUpstreamAdapter.readAtMost(response, max);
            }

            @Override
            public void release() {
                response.close();
            }

            @Override
            public UpstreamEvents events(int maxEventBytes) {
                return new HelidonEventSource(response, maxEventBytes, lease);
            }

            @Override
            public InputStream releasingBody() {
                return new ClosingInputStream(response, lease);
            }
        }, config);
    }

    private static HttpAnswer.Headers headersOf(HttpClientResponse response) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Header header : response.headers()) {
            values.put(header.name(), String.join(", ", header.allValues()));
        }
        return new HttpAnswer.Headers(values);
    }

    /** The body, at most {@code max} bytes, memory taken as they arrive (see {@link AnswerBodies}). */
    private static byte[] readAtMost(HttpClientResponse response, int max) {
        try (InputStream in = response.inputStream()) {
            return AnswerBodies.readAtMost(in, response.headers().contentLength().orElse(-1L), max);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a pass-through answer; closing it releases the upstream response and the pool place. */
    private static final class ClosingInputStream extends InputStream {
        private final HttpClientResponse response;
        private final PoolPlace lease;
        private final InputStream in;

        ClosingInputStream(HttpClientResponse response, PoolPlace lease) {
            this.response = response;
            this.lease = lease;
            this.in = response.inputStream();
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {
            try {
                response.close();
            } finally {
                lease.close();
            }
        }
    }
}
