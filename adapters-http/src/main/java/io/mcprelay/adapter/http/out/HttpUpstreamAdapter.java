package io.mcprelay.adapter.http.out;

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

/**
 * The upstream port over MCP Streamable HTTP, whatever the HTTP client: a call is a POST of its
 * payload, the standalone stream a GET, resuming a stream a GET with {@code Last-Event-ID} set to
 * the upstream's cursor, ending a session a DELETE; every request carries the upstream's
 * {@code Mcp-Session-Id}, the negotiated {@code MCP-Protocol-Version} and the client's context as
 * headers. The answers mean in MCP what {@link McpReplies} says. The two clients
 * ({@link SocketUpstreamAdapter}, the default, and {@link HelidonUpstreamAdapter}) differ only in
 * how they carry one HTTP exchange ({@link #exchange}).
 */
public abstract sealed class HttpUpstreamAdapter implements UpstreamPort, AutoCloseable
        permits SocketUpstreamAdapter, HelidonUpstreamAdapter {

    private static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final String METHOD_HEADER = "Mcp-Method";
    private static final String NAME_HEADER = "Mcp-Name";
    private static final String CONTENT_TYPE = "Content-Type";

    HttpUpstreamAdapter() {
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
        HttpAnswer answer = exchange(new HttpRequest(session.target(), HttpRequest.Method.POST, headers, session.id(),
                call.bytes(), call.budget()));
        return McpReplies.of(answer, McpReplies.Purpose.SEND, session);
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
        HttpAnswer answer = exchange(new HttpRequest(session.target(), HttpRequest.Method.GET, headersOf(session), session.id(),
                new byte[0], Budget.STREAM));
        return McpReplies.of(answer, McpReplies.Purpose.LISTEN, session);
    }

    /** GET with the upstream's own last event id, the session's headers, and {@code Accept: text/event-stream}. */
    @Override
    public final UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        Map<String, String> headers = headersOf(session);
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("accept") || k.equalsIgnoreCase("content-type"));
        headers.put("Accept", MediaTypes.EVENT_STREAM);
        headers.put("Last-Event-ID", cursor);
        HttpAnswer answer = exchange(new HttpRequest(session.target(), HttpRequest.Method.GET, headers, session.id(), new byte[0], budget));
        return McpReplies.of(answer, McpReplies.Purpose.RESUME, session);
    }

    @Override
    public final UpstreamReply end(UpstreamSession session) {
        HttpAnswer answer = exchange(new HttpRequest(session.target(), HttpRequest.Method.DELETE, headersOf(session), session.id(),
                new byte[0], Budget.REQUEST));
        return McpReplies.of(answer, McpReplies.Purpose.END, session);
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
