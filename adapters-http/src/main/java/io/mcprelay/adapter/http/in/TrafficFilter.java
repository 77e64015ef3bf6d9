package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Every request to the MCP endpoint passes here first: it is counted in flight for the
 * {@link Drain}, refused when it would open a session on a draining instance, and reported to a
 * {@link RequestObserver} once answered (a stream: once it ended). Health and metrics requests are
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

    private final String mcpPath;
    private final Drain drain;
    private final RequestObserver observer;

    /** @param mcpPath the MCP endpoint's path, e.g. {@code /mcp} */
    public TrafficFilter(String mcpPath, Drain drain, RequestObserver observer) {
        this.mcpPath = Objects.requireNonNull(mcpPath, "mcpPath");
        this.drain = Objects.requireNonNull(drain, "drain");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!req.path().path().equals(mcpPath)) {
            chain.proceed();
            return;
        }
        Method method = req.prologue().method();
        Optional<String> session = req.headers().first(McpHttpEndpoint.SESSION_ID);
        RequestRecord record = new RequestRecord(method.text(), clientOf(req), session, drain);
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
            drain.requestEnded(awaited);
            record.finish(res.status().code(), res.bytesWritten(), res.headers().first(McpHttpEndpoint.SESSION_ID));
            report(record);
        }
        if (draining) {
            throw new CloseConnectionException("draining: the connection ends after its answer");
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
