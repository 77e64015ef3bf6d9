package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TracingPort;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Every request to the MCP endpoint passes here first: it is counted in flight for the
 * {@link Drain}, refused when it would open a session on a draining instance, and reported to a
 * {@link RequestObserver} once answered (a stream: once it ended). It is given its request id
 * ({@link RequestIds}, returned in {@code X-Request-Id}), its {@link ForwardedHeaders} and its
 * server span ({@link RequestTrace}), which the endpoint sends upstream with its messages. Health and metrics requests are
 * neither counted nor reported: probes every few seconds would drown the access log.
 *
 * <p>While draining, every answer carries {@code Connection: close} and the connection ends after
 * it, so a client on a kept-alive connection reconnects through its balancer, to another instance.
 */
public final class TrafficFilter implements Filter {

    /** The body of the 503 a draining instance answers a new session with. */
    static final byte[] DRAINING = new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR,
            "Service Unavailable: this mcp-relay instance is shutting down; open the session on another instance")
            .toJson().getBytes(StandardCharsets.UTF_8);
    /** The refusal reason a draining instance's 503 is logged with. */
    public static final String DRAINING_REASON = "draining";

    private static final HeaderName FORWARDED_FOR = HeaderNames.create(ForwardedHeaders.FOR);
    private static final HeaderName FORWARDED_PROTO = HeaderNames.create(ForwardedHeaders.PROTO);
    private static final HeaderName FORWARDED_HOST = HeaderNames.create(ForwardedHeaders.HOST);
    private static final HeaderName REQUEST_ID = HeaderNames.create(RequestIds.HEADER);

    private final String mcpPath;
    private final Drain drain;
    private final RequestObserver observer;
    private final TrustedProxies trustedProxies;
    private final TracingPort tracing;

    /** @param mcpPath the MCP endpoint's path, e.g. {@code /mcp} */
    public TrafficFilter(String mcpPath, Drain drain, RequestObserver observer) {
        this(mcpPath, drain, observer, TrustedProxies.NONE, TracingPort.OFF);
    }

    /**
     * @param trustedProxies the peers whose {@code X-Forwarded-*} headers are read (else replaced)
     * @param tracing        where each request's server span goes
     */
    public TrafficFilter(String mcpPath, Drain drain, RequestObserver observer, TrustedProxies trustedProxies, TracingPort tracing) {
        this.mcpPath = Objects.requireNonNull(mcpPath, "mcpPath");
        this.drain = Objects.requireNonNull(drain, "drain");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!req.path().path().equals(mcpPath)) {
            chain.proceed();
            return;
        }
        Method method = req.prologue().method();
        Optional<String> session = req.headers().first(McpHttpEndpoint.SESSION_ID);
        String peer = clientOf(req);
        RequestRecord record = new RequestRecord(method.text(), peer, session, drain);
        RequestTrace trace = trace(req, method, peer);
        record.trace(trace);
        res.header(REQUEST_ID, trace.requestId());
        boolean awaited = !(method == Method.GET && !req.headers().contains(McpHttpEndpoint.LAST_EVENT_ID));
        drain.requestStarted(awaited);
        record.enter();
        boolean draining = drain.draining();
        try {
            if (draining) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            if (draining && method == Method.POST && session.isEmpty()) {
                record.refused(DRAINING_REASON);
                res.status(Status.SERVICE_UNAVAILABLE_503);
                res.header(HeaderValues.CONTENT_TYPE_JSON);
                res.header(io.helidon.http.HeaderNames.RETRY_AFTER, "1");
                res.send(DRAINING);
            } else {
                chain.proceed();
            }
        } finally {
            record.leave();
            try {
                record.finish(res.status().code(), res.bytesWritten(), res.headers().first(McpHttpEndpoint.SESSION_ID));
                endSpan(trace, record);
                report(record);
            } finally {
                // last: a drain waiting for this request may stop the process at once, and the request's access
                // log line and span must be out by then
                drain.requestEnded(awaited);
            }
        }
        if (draining) {
            throw new CloseConnectionException("draining: the connection ends after its answer");
        }
    }

    /** The request's id, forwarded headers and (not yet started) server span. */
    private RequestTrace trace(RoutingRequest req, Method method, String peer) {
        ServerRequestHeaders headers = req.headers();
        String requestId = RequestIds.keepOrMint(headers.all(REQUEST_ID, List::of));
        Map<String, String> forwarded = ForwardedHeaders.of(peer, trustedProxies.trusts(peer), joined(headers, FORWARDED_FOR),
                joined(headers, FORWARDED_PROTO), joined(headers, FORWARDED_HOST), joined(headers, HeaderNames.HOST),
                req.isSecure() ? "https" : "http");
        Map<String, String> context = new HashMap<>();
        for (String name : TraceContext.NAMES) {
            joined(headers, HeaderNames.create(name)).ifPresent(value -> context.put(name, value));
        }
        String name = switch (method.text()) {
            case "GET" -> headers.contains(McpHttpEndpoint.LAST_EVENT_ID) ? "GET resume" : "GET stream";
            case "DELETE" -> "DELETE session";
            default -> method.text() + " " + mcpPath;
        };
        return new RequestTrace(tracing, Instant.now(), name, TraceContext.of(context), requestId, forwarded);
    }

    private static Optional<String> joined(ServerRequestHeaders headers, HeaderName name) {
        List<String> values = headers.all(name, List::of);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    private static void endSpan(RequestTrace trace, RequestRecord record) {
        try {
            trace.end(record);
        } catch (RuntimeException e) {
            System.getLogger(TrafficFilter.class.getName()).log(System.Logger.Level.DEBUG, "request span not ended: {0}", e.toString());
        }
    }

    private void report(RequestRecord record) {
        try {
            observer.completed(record);
        } catch (RuntimeException e) {
            System.getLogger(TrafficFilter.class.getName()).log(System.Logger.Level.DEBUG, "request observer failed: {0}", e.toString());
        }
    }

    private static String clientOf(RoutingRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress peer && peer.getAddress() != null) {
            return peer.getAddress().getHostAddress();
        }
        return "-";
    }
}
