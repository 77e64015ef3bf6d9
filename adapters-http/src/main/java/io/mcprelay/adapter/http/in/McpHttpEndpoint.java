package io.mcprelay.adapter.http.in;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.in.OpenStreamUseCase;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.in.RelayMessageUseCase;
import io.mcprelay.application.port.in.TerminateSessionCommand;
import io.mcprelay.application.port.in.TerminateSessionUseCase;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.RoutingClaims;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.nio.charset.StandardCharsets;
import io.mcprelay.domain.session.ClientKey;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP endpoint ({@code /mcp}): the transport checks of the protocol (Origin and Host, Accept,
 * Content-Type, body size, method) happen here, in that order, before any use case runs; then POST
 * goes to {@link RelayMessageUseCase}, GET (a standalone stream, or a resumption with
 * {@code Last-Event-ID}) to {@link OpenStreamUseCase}, DELETE to {@link TerminateSessionUseCase}.
 */
public final class McpHttpEndpoint implements HttpService {

    static final HeaderName SESSION_ID = HeaderNames.create("Mcp-Session-Id");
    static final HeaderName PROTOCOL_VERSION = HeaderNames.create("MCP-Protocol-Version");
    static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    /** Request headers the relay sets itself towards upstreams; a client's are never passed on as they are. */
    private static final java.util.Set<String> RELAY_SET = java.util.Set.of("x-request-id", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host");
    static final HeaderName MCP_METHOD = HeaderNames.create("Mcp-Method");
    static final HeaderName MCP_NAME = HeaderNames.create("Mcp-Name");
    /** The prefix of the 2026-07-28 headers that mirror tool arguments ({@code Mcp-Param-Region}). */
    static final String MCP_PARAM_PREFIX = "mcp-param-";
    /** At most this many {@code Mcp-Param-*} claims are read (the header section is bounded anyway). */
    private static final int MAX_PARAM_CLAIMS = 64;

    private final RelayMessageUseCase relay;
    private final TerminateSessionUseCase terminate;
    private final OpenStreamUseCase streams;
    private final McpEndpointConfig config;
    private final RequestBodies bodies;
    /** Present when clients must authenticate: every request passes it first (after the Origin check). */
    private final Optional<BearerGate> bearer;

    public McpHttpEndpoint(RelayMessageUseCase relay, TerminateSessionUseCase terminate, OpenStreamUseCase streams,
                           McpEndpointConfig config) {
        this(relay, terminate, streams, config, Optional.empty());
    }

    /** An endpoint whose clients must present a bearer token that {@code bearer} accepts. */
    public McpHttpEndpoint(RelayMessageUseCase relay, TerminateSessionUseCase terminate, OpenStreamUseCase streams,
                           McpEndpointConfig config, Optional<BearerGate> bearer) {
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.terminate = Objects.requireNonNull(terminate, "terminate");
        this.config = Objects.requireNonNull(config, "config");
        this.bodies = new RequestBodies(config.maxBodyBytes(), config.maxBodyMemory());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(this::post)
                .delete(this::delete)
                .get(this::get)
                .any(this::otherMethod);
    }

    private void post(ServerRequest req, ServerResponse res) {
        if (refusedOrigin(req, res)) {
            return;
        }
        Optional<Caller> client = client(req, res);
        if (client.isEmpty()) {
            return;
        }
        ServerRequestHeaders headers = req.headers();
        String accept = headers.first(HeaderNames.ACCEPT).orElse(null);
        if (!MediaTypes.accepts(accept, MediaTypes.JSON) || !MediaTypes.accepts(accept, MediaTypes.EVENT_STREAM)) {
            reject(res, RejectionReason.NOT_ACCEPTABLE, "Not Acceptable: Accept must list both application/json and text/event-stream");
            return;
        }
        if (!MediaTypes.isJson(headers.first(HeaderNames.CONTENT_TYPE).orElse(null))) {
            reject(res, RejectionReason.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type: Content-Type must be application/json");
            return;
        }
        try (RequestBodies.Body body = bodies.read(req)) {
            if (body.refusal() != null) {
                refuseAndClose(res, body.refusal());
                return;
            }
            RequestRecord.current().flatMap(RequestRecord::trace).filter(RequestTrace::tracing).ifPresent(trace -> {
                TraceBody facts = TraceBody.read(body.bytes());
                trace.offerMetaContext(facts.meta());
                facts.spanName().ifPresent(trace::rename);
                // body first, as the use case decides it; the header only when the body claims nothing
                trace.era(ProtocolEra.of(facts.protocolVersion().or(() -> protocolVersion(req))).label());
            });
            Optional<RequestRecord> record = RequestRecord.current();
            PendingAnswer pending = record.map(r -> r.awaitAnswer(res, body.bytes())).orElse(null);
            try {
                relay.relay(new RelayMessageCommand(sessionId(req), protocolVersion(req), headerMap(headers), body.bytes(), client.get().key(),
                        client.get().principal(), routingClaims(req)),
                        new HelidonDownstream(res, pending));
            } finally {
                if (pending != null) {
                    record.get().answerBegun(pending);
                }
            }
        }
    }

    /**
     * Answers a body that could not be read (too large, too slow, broken framing, no memory left for
     * it) and ends the connection: the rest of such a body is never read, so nothing after it may be
     * read as a request either. Helidon's connection ends on {@link CloseConnectionException}; a
     * {@code Connection: close} answer alone would have it read on.
     */
    private static void refuseAndClose(ServerResponse res, RequestBodies.Refusal refusal) {
        res.status(Status.create(refusal.status()));
        res.header(HeaderValues.CONNECTION_CLOSE);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, refusal.detail()).toJson()
                .getBytes(StandardCharsets.UTF_8));
        throw new CloseConnectionException("request body refused with " + refusal.status());
    }

    /**
     * Who sent the request: with authentication, the principal its token names (or empty after a
     * 401/403 challenge); without, the address of the connection's peer ({@link #clientOf}).
     */
    private Optional<Caller> client(ServerRequest req, ServerResponse res) {
        if (bearer.isEmpty()) {
            return Optional.of(new Caller(clientOf(req), Optional.empty()));
        }
        return bearer.get().admit(req, res).map(p -> new Caller(p.clientKey(), Optional.of(p)));
    }

    /** Who sent a request: the key its sessions belong to, and its principal when it authenticated. */
    private record Caller(ClientKey key, Optional<Principal> principal) {
    }

    /**
     * Who sent the request, for the per-client session quota: the address of the connection's peer
     * (behind a reverse proxy, that proxy's).
     */
    static ClientKey clientOf(ServerRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress peer && peer.getAddress() != null) {
            return ClientKey.ofAddress(peer.getAddress().getHostAddress());
        }
        return ClientKey.UNKNOWN;
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Optional<Caller> client = admitted(req, res);
        if (client.isEmpty()) {
            return;
        }
        terminate.terminate(new TerminateSessionCommand(sessionId(req), protocolVersion(req), headerMap(req.headers()), client.get().key()),
                new HelidonDownstream(res));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Optional<Caller> client = admitted(req, res);
        if (client.isEmpty()) {
            return;
        }
        if (!MediaTypes.accepts(req.headers().first(HeaderNames.ACCEPT).orElse(null), MediaTypes.EVENT_STREAM)) {
            reject(res, RejectionReason.NOT_ACCEPTABLE, "Not Acceptable: a GET stream needs Accept: text/event-stream");
            return;
        }
        streams.open(new OpenStreamCommand(sessionId(req), protocolVersion(req), single(req, LAST_EVENT_ID),
                headerMap(req.headers()), client.get().key(), client.get().principal()), new HelidonDownstream(res));
    }

    /**
     * The caller of a GET or DELETE that its origin, its credentials and its protocol era let through;
     * empty when one of those checks answered it already.
     */
    private Optional<Caller> admitted(ServerRequest req, ServerResponse res) {
        if (refusedOrigin(req, res)) {
            return Optional.empty();
        }
        Optional<Caller> client = client(req, res);
        if (client.isEmpty() || refusedModern(req, res)) {
            return Optional.empty();
        }
        return client;
    }

    private void otherMethod(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ALLOW, "GET, POST, DELETE");
        reject(res, RejectionReason.METHOD_NOT_ALLOWED, "Method Not Allowed: " + req.prologue().method().text() + " is not served on the MCP endpoint");
    }

    /**
     * A GET or DELETE that names a 2026-07-28 (or later) protocol version: the modern era serves POST
     * only, so it gets 405 with {@code Allow: POST}, as a modern-only server answers, before any
     * session rule (it carries no session).
     */
    private static boolean refusedModern(ServerRequest req, ServerResponse res) {
        if (ProtocolEra.of(protocolVersion(req)) != ProtocolEra.MODERN) {
            return false;
        }
        res.header(HeaderNames.ALLOW, "POST");
        reject(res, RejectionReason.METHOD_NOT_ALLOWED, "Method Not Allowed: protocol version " + ProtocolEra.FIRST_MODERN
                + " and later serve POST only (no session, no standalone stream); " + req.prologue().method().text() + " is not served");
        return true;
    }

    /**
     * The 2026-07-28 routing headers of a POST, as claims the use case checks against the body:
     * {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name} and every {@code Mcp-Param-*}
     * (repeated ones joined, so that a repeat cannot slip a second value past the check).
     */
    static RoutingClaims routingClaims(ServerRequest req) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            String name = header.name();
            if (name.length() > MCP_PARAM_PREFIX.length() && name.regionMatches(true, 0, MCP_PARAM_PREFIX, 0, MCP_PARAM_PREFIX.length())
                    && params.size() < MAX_PARAM_CLAIMS) {
                params.merge(name.substring(MCP_PARAM_PREFIX.length()), String.join(", ", header.allValues()), (a, b) -> a + ", " + b);
            }
        }
        return new RoutingClaims(protocolVersion(req), single(req, MCP_METHOD), single(req, MCP_NAME), params);
    }

    private boolean refusedOrigin(ServerRequest req, ServerResponse res) {
        Optional<Rejection> refused = config.originPolicy().check(
                req.headers().first(HeaderNames.ORIGIN), req.headers().first(HeaderNames.HOST));
        refused.ifPresent(rejection -> HelidonDownstream.send(res, rejection));
        return refused.isPresent();
    }

    private static void reject(ServerResponse res, RejectionReason reason, String detail) {
        HelidonDownstream.send(res, Rejection.of(reason, detail));
    }

    private static Optional<String> sessionId(ServerRequest req) {
        return single(req, SESSION_ID);
    }

    private static Optional<String> protocolVersion(ServerRequest req) {
        return single(req, PROTOCOL_VERSION);
    }

    /**
     * A header that must appear once. Repeated, its values are joined with ", ", which no valid
     * session id, protocol version or event id contains, so the use case refuses it as malformed
     * instead of silently picking one of them.
     */
    private static Optional<String> single(ServerRequest req, HeaderName name) {
        java.util.List<String> values = req.headers().all(name, java.util.List::of);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    /**
     * The request's headers for the use case, which lets those its header policy allows travel upstream.
     * The request facts the relay sets itself replace the client's: {@code X-Request-Id} and
     * {@code X-Forwarded-*} ({@link TrafficFilter} computed them, reading the client's only from a
     * trusted proxy), and the trace context (the request span's, which names the client's as its
     * parent; with tracing off, the client's as it was).
     */
    private static Map<String, String> headerMap(ServerRequestHeaders headers) {
        Map<String, String> own = RequestRecord.upstreamValues();
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            String lower = header.name().toLowerCase(java.util.Locale.ROOT);
            if (RELAY_SET.contains(lower) || !own.isEmpty() && TraceContext.NAMES.contains(lower)) {
                continue;
            }
            // one value is by far the common case: no list and no join for it
            String value = header.valueCount() == 1 ? header.get() : String.join(", ", header.allValues());
            map.merge(header.name(), value, (a, b) -> a + ", " + b);
        }
        map.putAll(own);
        return map;
    }
}
