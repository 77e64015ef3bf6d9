package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.BridgeCallHeaders;
import io.mcprelay.domain.bridge.BridgedSession;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.LegacyToModern;
import io.mcprelay.domain.bridge.RoutingHeaders;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridge (a): a 2025-era client in front of an upstream that serves only 2026-07-28 (design note §6, "Bridge (a)";
 * docs/eras.md). mcp-relay answers the client's {@code initialize} itself from the upstream's
 * {@code server/discover} ({@link BridgeDiscovery}) and opens a session of its own, whose state
 * ({@link BridgedSession}: capabilities, client info, log level, subscriptions) lives in the session store like
 * any session's, so that any instance serves it. Each later request of the session goes upstream as a modern
 * request (the envelope, {@code MCP-Protocol-Version: 2026-07-28}, {@code Mcp-Method}, {@code Mcp-Name},
 * {@code Mcp-Param-*} from the tools' schemas, no session id) and its answer comes back as the session path
 * relays any answer (event ids, replay log), without the modern result fields; {@code input_required} results
 * become server-to-client requests on the POST's stream ({@link BridgedCall}). {@code ping},
 * {@code logging/setLevel}, {@code resources/subscribe}/{@code unsubscribe} and the client's notifications are
 * answered here. The session's GET stream reads an upstream {@code subscriptions/listen} stream ({@link BridgedListen}).
 *
 * <p>What lives in this JVM only: open multi round-trip rounds (a client's answer must reach the instance
 * relaying the call), the requests a {@code notifications/cancelled} can close, the listen streams a
 * {@code DELETE} or a subscription change reaches.
 */
public final class ModernUpstreamBridge {

    private static final System.Logger LOG = System.getLogger(ModernUpstreamBridge.class.getName());
    /** The requests that may answer {@code input_required}: answered with an event stream from the start. */
    static final Set<String> MULTI_ROUND = Set.of("tools/call", "prompts/get", "resources/read");
    static final int MAX_SUBSCRIPTIONS = 32;

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final EraProbe probe;
    private final RelaySettings settings;
    private final StreamRelay streams;
    private final UpstreamAnswers answers;
    private final BridgeDiscovery discovery;
    private final ToolHeaderCache tools = new ToolHeaderCache();
    private final Duration roundWait;
    private final BridgedCalls calls = new BridgedCalls();
    private final BridgedListens listens = new BridgedListens();
    private final AtomicLong counter = new AtomicLong();

    public ModernUpstreamBridge(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, EraProbe probe,
                                RelaySettings settings, StreamRelay streams) {
        this(sessions, upstream, upstreams, probe, settings, streams, BridgedCall.ROUND_WAIT);
    }

    ModernUpstreamBridge(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, EraProbe probe,
                         RelaySettings settings, StreamRelay streams, Duration roundWait) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.answers = new UpstreamAnswers(streams);
        this.discovery = new BridgeDiscovery(streams.clock());
        this.roundWait = Objects.requireNonNull(roundWait, "roundWait");
    }

    /** Whether a session is bridged (its upstream serves only the modern era). */
    static boolean bridged(Session session) {
        return BridgedSession.isBridged(session.upstreamSessionId());
    }

    /** Whether {@code target} is known to serve the modern era only: its initialize is answered here. */
    boolean servesOnlyModern(UpstreamTarget target) {
        return upstreams.servesOnlyModern(target.name());
    }

    /**
     * Whether {@code refused}, an upstream's refusal of a client's {@code initialize}, shows a modern-only upstream:
     * a modern-era error ({@code -32022} unsupported version, {@code -32020} header mismatch) from an upstream
     * configured {@code auto}, confirmed by a {@code server/discover} probe sent now.
     */
    boolean refusedAsModernOnly(UpstreamTarget target, UpstreamReply.Refused refused) {
        if (refused.upstreamFault() || refused.error().isEmpty() || !upstreams.probedForEra(target.name())) {
            return false;
        }
        Optional<JsonValue.Obj> error = parse(refused.error().get()).flatMap(e -> e.obj("error"));
        Optional<JsonValue> code = error.flatMap(e -> e.get("code"));
        boolean modernError = code.isPresent() && (code.get().equals(JsonValue.Num.of(JsonRpcErrorCodes.UNSUPPORTED_PROTOCOL_VERSION))
                || code.get().equals(JsonValue.Num.of(JsonRpcErrorCodes.HEADER_MISMATCH)));
        if (!modernError) {
            return false;
        }
        probe.probe(target);
        return servesOnlyModern(target);
    }

    /**
     * Answers the client's {@code initialize} for modern-only {@code target}: asks the upstream's
     * {@code server/discover} (or takes it from the cache), opens a session through {@code opener} and answers
     * with the {@code InitializeResult} the client's revision has.
     */
    void open(JsonRpcMessage.Request initialize, UpstreamTarget target, RelayMessageCommand command, DownstreamPort downstream,
              SessionOpener opener) {
        Optional<JsonValue.Obj> message = parse(command.body());
        JsonValue.Obj params = message.flatMap(m -> m.obj("params")).orElse(JsonValue.Obj.EMPTY);
        BridgedSession state = BridgedSession.opened(params);
        Optional<UpstreamSessionId> slot = state.slot().or(() -> state.compact().slot());
        if (message.isEmpty() || slot.isEmpty()) {
            downstream.reject(Rejection.of(RejectionReason.INVALID_MESSAGE, "Invalid Request: the initialize params are too large for"
                    + " a bridged session").answering(initialize.id()));
            return;
        }
        ClientContext client = UpstreamSessions.clientContext(command.headers(), settings.headerPolicy());
        BridgeDiscovery.Found found = discovery.discover(target, state.envelope(), request -> send(target, request, client,
                UpstreamPort.Budget.REQUEST, List.of()));
        if (found instanceof BridgeDiscovery.Found.Failed failed) {
            downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED, "Bad Gateway: the modern-only upstream " + target.name()
                    + " answered no server/discover: " + failed.why()).answering(initialize.id()));
            return;
        }
        JsonValue.Obj discover = ((BridgeDiscovery.Found.Result) found).result();
        JsonValue.Obj result = LegacyToModern.initializeResult(discover, params.str("protocolVersion").orElse(""),
                JsonValue.obj("name", JsonValue.str(target.name()), "version", JsonValue.str("")));
        ProtocolVersion version = new ProtocolVersion(result.str("protocolVersion").orElseThrow());
        Optional<Session> session = opener.createBridged(initialize, version, target, slot.get(), command.client(), downstream);
        if (session.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "session {0}: bridged to modern-only upstream {1} (bridge a)", session.get().id(), target.name());
            JsonValue.Obj answer = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", message.get().get("id").orElseThrow(), "result", result);
            downstream.answer(DownstreamPort.Head.of(Optional.of(session.get().id())), bytes(answer));
        }
    }

    /**
     * Relays one message of bridged {@code session} (after the session's gate, limits and request interceptors):
     * answered here, routed to an open round, or sent upstream as a modern request.
     */
    void relay(Session session, UpstreamTarget target, RelayMessageCommand command, JsonRpcPayload payload, byte[] body,
               Exchange exchange, List<String> answeredHere, DownstreamPort downstream) {
        DownstreamPort.Head head = DownstreamPort.Head.of(Optional.of(session.id()));
        Optional<JsonValue.Obj> parsed = parse(body);
        if (!(payload instanceof JsonRpcPayload.Single single) || parsed.isEmpty()) {
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.INVALID_MESSAGE,
                    "Invalid Request: a session bridged to a 2026-07-28 upstream takes one message per POST, not a batch")));
            return;
        }
        JsonValue.Obj message = parsed.get();
        switch (single.message()) {
            case JsonRpcMessage.Notification notification -> {
                if (notification.method().equals("notifications/cancelled")) {
                    message.obj("params").flatMap(p -> p.get("requestId")).ifPresent(id -> calls.cancel(session.id(), id));
                }
                downstream.accepted(head); // notifications/initialized and roots/list_changed have no modern counterpart
            }
            case JsonRpcMessage.Response response -> {
                calls.answer(session.id(), message);
                downstream.accepted(head);
            }
            case JsonRpcMessage.ErrorResponse error -> {
                calls.answer(session.id(), message);
                downstream.accepted(head);
            }
            case JsonRpcMessage.Request request -> {
                BridgedSession state = BridgedSession.fromSlot(session.upstreamSessionId()).orElseThrow();
                switch (request.method()) {
                    case "ping" -> answerEmpty(message, head, downstream);
                    case "logging/setLevel" -> setLevel(session, state, message, head, downstream);
                    case "resources/subscribe", "resources/unsubscribe" -> subscribe(session, state, message, target, command, head, downstream);
                    default -> forward(session, state, target, command, payload, message, exchange, answeredHere, downstream);
                }
            }
        }
    }

    private void forward(Session session, BridgedSession state, UpstreamTarget target, RelayMessageCommand command, JsonRpcPayload payload,
                         JsonValue.Obj message, Exchange exchange, List<String> answeredHere, DownstreamPort downstream) {
        ClientContext client = UpstreamSessions.clientContext(command.headers(), settings.headerPolicy());
        String toolKey = target.name() + " " + command.principal().map(p -> p.subject()).orElse("");
        String method = message.str("method").orElse("");
        JsonValue.Obj request = state.envelope().applyTo(message);
        Instant requestedAt = streams.clock().now();
        UpstreamReply reply = sendCall(target, request, client, toolKey);
        if (method.equals("tools/call") && ToolHeaderCache.headerMismatch(reply)) {
            // the tool's x-mcp-header declarations changed (or were never listed): list again, send once more
            reply.close();
            tools.relist(toolKey, state.envelope(), list -> send(target, list, client, UpstreamPort.Budget.REQUEST, List.of()));
            reply = sendCall(target, request, client, toolKey);
        }
        String prefix = "mcp-relay-" + Long.toString(counter.incrementAndGet(), 36) + "-";
        java.util.function.Function<JsonValue.Obj, JsonValue.Obj> forClient = result -> forClient(method, result, toolKey,
                !message.obj("params").flatMap(p -> p.get("cursor")).isPresent());
        UpstreamEvents events;
        switch (reply) {
            case UpstreamReply.Events stream -> events = stream.events();
            case UpstreamReply.Answer answer when MULTI_ROUND.contains(method) -> events = BridgedCall.single(answer.message());
            case UpstreamReply.Answer answer -> {
                answers.relay(new UpstreamReply.Answer(legacyAnswer(answer.message(), forClient), Optional.empty(), answer.echo()), payload,
                        Optional.of(session), downstream, List.of(), requestedAt, UpstreamReconnect.NONE, exchange, answeredHere);
                return;
            }
            default -> {
                answers.relay(reply, payload, Optional.of(session), downstream, List.of(), requestedAt, UpstreamReconnect.NONE, exchange,
                        answeredHere);
                return;
            }
        }
        BridgedCall call = new BridgedCall(request, events, retry -> sendCall(target, retry, client, toolKey), forClient,
                calls.registry(session.id()), prefix, roundWait);
        UpstreamReply.Events relayed = new UpstreamReply.Events(call, Optional.empty(),
                reply instanceof UpstreamReply.Events e ? e.echo() : io.mcprelay.application.port.out.upstream.TransportEcho.NONE);
        calls.whileOpen(session.id(), message.get("id").orElseThrow(), call, () -> answers.relay(relayed, payload, Optional.of(session),
                downstream, List.of(), requestedAt, UpstreamReconnect.NONE, exchange, answeredHere));
    }

    private JsonValue.Obj forClient(String method, JsonValue.Obj result, String toolKey, boolean firstPage) {
        JsonValue.Obj legacy = LegacyToModern.forLegacyClient(result);
        return method.equals("tools/list") ? tools.learn(toolKey, legacy, firstPage) : legacy;
    }

    private static byte[] legacyAnswer(byte[] json, java.util.function.Function<JsonValue.Obj, JsonValue.Obj> forClient) {
        Optional<JsonValue.Obj> answer = parse(json);
        if (answer.isEmpty() || answer.get().obj("result").isEmpty()) {
            return json;
        }
        return bytes(answer.get().with("result", forClient.apply(answer.get().obj("result").orElseThrow())));
    }

    private UpstreamReply sendCall(UpstreamTarget target, JsonValue.Obj request, ClientContext client, String toolKey) {
        List<RoutingHeaders.HeaderProperty> declared = request.str("method").filter("tools/call"::equals).isPresent()
                ? request.obj("params").flatMap(p -> p.str("name")).map(name -> tools.headersOf(toolKey, name)).orElse(List.of())
                : List.of();
        return send(target, request, client, UpstreamPort.Budget.REQUEST, declared);
    }

    /** Sends one modern request to {@code target}: no session, the routing headers derived from the body. */
    UpstreamReply send(UpstreamTarget target, JsonValue.Obj request, ClientContext client, UpstreamPort.Budget budget,
                       List<RoutingHeaders.HeaderProperty> toolHeaders) {
        byte[] bytes = bytes(request);
        JsonRpcPayload payload = switch (streams.codec().decode(bytes)) {
            case DecodedPayload.Decoded decoded -> decoded.payload();
            default -> throw new IllegalStateException("mcp-relay wrote a request it cannot read: " + request.toJson());
        };
        Map<String, String> headers = BridgeCallHeaders.of(client.values(), RoutingHeaders.derive(request, toolHeaders));
        return upstream.send(new UpstreamCall(UpstreamSession.stateless(target, new ClientContext(headers, client.subjectToken())), payload,
                bytes, budget));
    }

    private void setLevel(Session session, BridgedSession state, JsonValue.Obj message, DownstreamPort.Head head, DownstreamPort downstream) {
        Optional<String> level = message.obj("params").flatMap(p -> p.str("level"));
        if (level.isEmpty()) {
            answerError(message, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: logging/setLevel needs a level", head, downstream);
            return;
        }
        store(session, state.withLogLevel(level.get()));
        answerEmpty(message, head, downstream);
    }

    private void subscribe(Session session, BridgedSession state, JsonValue.Obj message, UpstreamTarget target, RelayMessageCommand command,
                           DownstreamPort.Head head, DownstreamPort downstream) {
        Optional<String> uri = message.obj("params").flatMap(p -> p.str("uri"));
        boolean subscribing = message.str("method").filter("resources/subscribe"::equals).isPresent();
        if (uri.isEmpty()) {
            answerError(message, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: a uri is required", head, downstream);
            return;
        }
        BridgedSession next = state.withSubscription(uri.get(), subscribing);
        if (next.subscriptions().size() > MAX_SUBSCRIPTIONS || next.slot().isEmpty()) {
            answerError(message, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: a bridged session holds at most " + MAX_SUBSCRIPTIONS
                    + " resource subscriptions (fewer for long URIs)", head, downstream);
            return;
        }
        store(session, next);
        ClientContext client = UpstreamSessions.clientContext(command.headers(), settings.headerPolicy());
        listens.reopen(session.id(), unused -> send(target, listens.request(next), client, UpstreamPort.Budget.STREAM, List.of()));
        answerEmpty(message, head, downstream);
    }

    private void store(Session session, BridgedSession state) {
        sessions.bindUpstream(session.id(), state.slot().orElseThrow());
    }

    /**
     * The upstream stream behind bridged {@code session}'s GET stream: a {@code subscriptions/listen} for every
     * change notification and the session's subscribed resources, or {@link UpstreamReply.NoStream} when the
     * upstream offers none.
     */
    UpstreamReply listen(Session session, UpstreamTarget target, ClientContext client) {
        BridgedSession state = BridgedSession.fromSlot(session.upstreamSessionId()).orElseThrow();
        return listens.open(session.id(), send(target, listens.request(state), client, UpstreamPort.Budget.STREAM, List.of()));
    }

    /**
     * Ends every round here that waits for its client's answers, and from now on each round as it opens (this instance
     * stops): each call ends with an error; how many were waiting.
     */
    int endRounds() {
        return calls.endRounds();
    }

    /** The session ended (DELETE, eviction): its listen streams and open calls here are closed. */
    void ended(ProxySessionId session) {
        listens.closeAll(session);
        calls.ended(session);
    }

    /** Listen streams open for {@code session} here, for tests. */
    int listening(ProxySessionId session) {
        return listens.count(session);
    }

    private static void answerEmpty(JsonValue.Obj request, DownstreamPort.Head head, DownstreamPort downstream) {
        downstream.answer(head, bytes(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", request.get("id").orElseThrow(),
                "result", JsonValue.Obj.EMPTY)));
    }

    private static void answerError(JsonValue.Obj request, int code, String text, DownstreamPort.Head head, DownstreamPort downstream) {
        downstream.answer(head, bytes(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", request.get("id").orElseThrow(),
                "error", JsonValue.obj("code", JsonValue.Num.of(code), "message", JsonValue.str(text)))));
    }

    static Optional<JsonValue.Obj> parse(byte[] json) {
        try {
            return Optional.of(JsonText.parseObject(new String(json, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(JsonValue.Obj message) {
        return message.toJson().getBytes(StandardCharsets.UTF_8);
    }
}
