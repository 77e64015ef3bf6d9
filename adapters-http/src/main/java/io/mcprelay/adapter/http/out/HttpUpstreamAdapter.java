package io.mcprelay.adapter.http.out;

import io.mcprelay.adapter.http.out.credentials.CredentialsException;
import io.mcprelay.adapter.http.out.credentials.UpstreamCredentials;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.RoutingValue;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The upstream port over MCP Streamable HTTP, whatever the HTTP client: a call is a POST of its
 * payload, the standalone stream a GET, resuming a stream a GET with {@code Last-Event-ID} set to
 * the upstream's cursor, ending a session a DELETE; every request carries the upstream's
 * {@code Mcp-Session-Id}, the negotiated {@code MCP-Protocol-Version} and the client's context as
 * headers. The answers mean in MCP what {@link McpReplies} says. The two clients
 * ({@link SocketUpstreamAdapter}, the default, and {@link HelidonUpstreamAdapter}) differ only in
 * how they carry one HTTP exchange ({@link #exchange}).
 *
 * <p>An upstream may have credentials of mcp-relay's own ({@link #useCredentials}): their headers
 * are added to every request to it, replacing any the client's context brings of the same name. When
 * they cannot be had (the token endpoint is down or refuses), nothing is sent and the reply is
 * {@link UpstreamReply.Unreachable} with cause {@code CREDENTIALS_UNAVAILABLE} or
 * {@code CREDENTIALS_REFUSED}.
 */
public abstract sealed class HttpUpstreamAdapter implements UpstreamPort, AutoCloseable
        permits SocketUpstreamAdapter, HelidonUpstreamAdapter {

    private static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final String METHOD_HEADER = "Mcp-Method";
    private static final String NAME_HEADER = "Mcp-Name";
    private static final String CONTENT_TYPE = "Content-Type";

    /** mcp-relay's own credentials by upstream name; replaced whole when the configuration is reloaded. */
    private volatile Map<String, UpstreamCredentials> credentials = Map.of();

    HttpUpstreamAdapter() {
    }

    /** From now on, requests to the upstreams named in {@code byUpstream} carry those credentials; others none. */
    public final void useCredentials(Map<String, UpstreamCredentials> byUpstream) {
        this.credentials = Map.copyOf(byUpstream);
    }

    /**
     * Sends one HTTP request, to be processed by the upstream exactly once, and says what came back,
     * decided by status and {@code Content-Type} ({@link AnswerClassifier}). Failures are answers
     * ({@link HttpAnswer.Unreachable}), never exceptions.
     */
    abstract HttpAnswer exchange(HttpRequest request);

    /** Closes the idle pooled connections; streams still open keep their connection until closed. */
    @Override
    public abstract void close();

    @Override
    public final UpstreamReply send(UpstreamCall call) {
        UpstreamSession session = call.session();
        Map<String, String> headers = headersOf(session);
        // a client's POST always brings its own; a call of mcp-relay's own (the era probe) brings none
        putIfAbsent(headers, CONTENT_TYPE, MediaTypes.JSON);
        routingHeaders(call, headers);
        return withCredentials(session, headers).orElseGet(() -> McpReplies.of(exchange(new HttpRequest(session.target(),
                HttpRequest.Method.POST, headers, session.id(), call.bytes(), call.budget())), McpReplies.Purpose.SEND, session));
    }

    /**
     * The 2026-07-28 routing headers of a modern call that does not carry them already (mcp-relay's
     * own {@code server/discover} probe): {@code MCP-Protocol-Version} from the body's version claim,
     * {@code Mcp-Method}, and {@code Mcp-Name} (sentinel-encoded where needed). A client's modern
     * request brings its own, checked against the body, and they go on as they came.
     */
    static void routingHeaders(UpstreamCall call, Map<String, String> headers) {
        if (session(call).isPresent() || !(call.payload() instanceof JsonRpcPayload.Single single)) {
            return;
        }
        String method;
        McpFacts facts;
        switch (single.message()) {
            case JsonRpcMessage.Request request -> {
                method = request.method();
                facts = request.facts();
            }
            case JsonRpcMessage.Notification notification -> {
                method = notification.method();
                facts = notification.facts();
            }
            default -> {
                return;
            }
        }
        if (facts.metaProtocolVersion().isEmpty() || ProtocolEra.of(facts.metaProtocolVersion().get()) != ProtocolEra.MODERN) {
            return;
        }
        putIfAbsent(headers, VERSION_HEADER, facts.metaProtocolVersion().get());
        putIfAbsent(headers, METHOD_HEADER, method);
        facts.routedName().ifPresent(name -> putIfAbsent(headers, NAME_HEADER, RoutingValue.encode(name)));
    }

    private static java.util.Optional<?> session(UpstreamCall call) {
        return call.session().protocolVersion().isPresent() ? call.session().protocolVersion() : call.session().id();
    }

    private static void putIfAbsent(Map<String, String> headers, String name, String value) {
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(name))) {
            headers.put(name, value);
        }
    }

    @Override
    public final UpstreamReply listen(UpstreamSession session) {
        Map<String, String> headers = headersOf(session);
        return withCredentials(session, headers).orElseGet(() -> McpReplies.of(exchange(new HttpRequest(session.target(),
                HttpRequest.Method.GET, headers, session.id(), new byte[0], Budget.STREAM)), McpReplies.Purpose.LISTEN, session));
    }

    /** GET with the upstream's own last event id, the session's headers, and {@code Accept: text/event-stream}. */
    @Override
    public final UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        Map<String, String> headers = headersOf(session);
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("accept") || k.equalsIgnoreCase("content-type"));
        headers.put("Accept", MediaTypes.EVENT_STREAM);
        headers.put("Last-Event-ID", cursor);
        return withCredentials(session, headers).orElseGet(() -> McpReplies.of(exchange(new HttpRequest(session.target(),
                HttpRequest.Method.GET, headers, session.id(), new byte[0], budget)), McpReplies.Purpose.RESUME, session));
    }

    @Override
    public final UpstreamReply end(UpstreamSession session) {
        Map<String, String> headers = headersOf(session);
        return withCredentials(session, headers).orElseGet(() -> McpReplies.of(exchange(new HttpRequest(session.target(),
                HttpRequest.Method.DELETE, headers, session.id(), new byte[0], Budget.REQUEST)), McpReplies.Purpose.END, session));
    }

    /**
     * Adds the upstream's credentials to {@code headers}: empty when done (or it has none), else the
     * reply that the request gets instead of being sent.
     */
    private java.util.Optional<UpstreamReply> withCredentials(UpstreamSession session, Map<String, String> headers) {
        UpstreamCredentials own = credentials.get(session.target().name());
        if (own == null) {
            return java.util.Optional.empty();
        }
        try {
            Objects.requireNonNull(own.headers(session.client()), "credential headers").forEach((name, value) -> {
                headers.keySet().removeIf(name::equalsIgnoreCase);
                headers.put(name, value);
            });
            return java.util.Optional.empty();
        } catch (CredentialsException e) {
            return java.util.Optional.of(new UpstreamReply.Unreachable(e.refused() ? UpstreamReply.Unreachable.Cause.CREDENTIALS_REFUSED
                    : UpstreamReply.Unreachable.Cause.CREDENTIALS_UNAVAILABLE, e.getMessage()));
        } catch (RuntimeException e) {
            // a failure of the credentials' own code: the request is not sent without them
            return java.util.Optional.of(new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CREDENTIALS_UNAVAILABLE,
                    "mcp-relay's credentials for upstream " + session.target().name() + " failed (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * The client's context as headers, with the negotiated protocol version once there is one (the
     * client's own {@code MCP-Protocol-Version}, if any, gives way to it). The adapters add
     * {@code Mcp-Session-Id} and a default {@code Accept}.
     */
    static Map<String, String> headersOf(UpstreamSession session) {
        Map<String, String> headers = new LinkedHashMap<>(session.client().values());
        session.protocolVersion().ifPresent(version -> {
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(VERSION_HEADER));
            headers.put(VERSION_HEADER, version.value());
        });
        return headers;
    }
}
