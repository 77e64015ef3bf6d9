package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bridge (b), a first slice: a 2026-07-28 client in front of upstreams that serve only the 2025 era (design note
 * §6). {@code server/discover} is answered from the upstream's {@code InitializeResult} (cached per upstream for
 * {@link #DISCOVER_TTL}); any other request is carried in an upstream session the bridge holds ({@link BridgePool}),
 * without the reserved {@code _meta} keys, and its answer is annotated as a modern client expects it
 * ({@code resultType}, {@code ttlMs}/{@code cacheScope}, {@code serverInfo}, -32002 → -32602). A session the upstream
 * lost is opened again and the request re-sent once (nothing ran). Progress and log notifications on the upstream's
 * event stream are relayed onto the modern response stream; the client closing that stream sends
 * {@code notifications/cancelled} upstream. A server→client request cannot be expressed yet (no MRTR translation):
 * it is answered upstream with a JSON-RPC error, so the call goes on or fails instead of hanging.
 */
final class LegacyBridge {

    private static final System.Logger LOG = System.getLogger(LegacyBridge.class.getName());
    static final String DISCOVER = "server/discover";
    static final Duration DISCOVER_TTL = Duration.ofSeconds(60);
    /** The code a server→client request gets when the bridge cannot carry it to the modern client. */
    static final int NOT_BRIDGED = JsonRpcErrorCodes.METHOD_NOT_FOUND;

    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final ClockPort clock;
    private final BridgePool pool;
    private final UpstreamAnswers answers;
    private final ConcurrentMap<String, Discovered> discovered = new ConcurrentHashMap<>();

    private record Discovered(JsonValue.Obj initializeResult, Instant at) {
    }

    LegacyBridge(UpstreamPort upstream, UpstreamCatalog upstreams, ClockPort clock, BridgePool pool, UpstreamAnswers answers) {
        this.answers = Objects.requireNonNull(answers, "answers");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Whether the bridge speaks {@code version} (only 2026-07-28 for now). */
    static boolean speaks(String version) {
        return ModernEnvelope.MODERN_VERSION.equals(version);
    }

    /** Relays one modern message ({@code payload} decoded from {@code body}) to a legacy-only upstream. */
    void relay(JsonRpcPayload payload, byte[] body, RelayMessageCommand command, ClientContext client, DownstreamPort downstream) {
        Optional<JsonValue.Obj> message = BridgePool.parse(body);
        if (UpstreamAnswers.singleRequestId(payload).isEmpty() || message.isEmpty()) {
            downstream.accepted(DownstreamPort.Head.NONE); // a modern notification has no session upstream to go to
            return;
        }
        Optional<ModernEnvelope.Stripped> stripped = ModernEnvelope.strip(message.get());
        if (stripped.isEmpty()) {
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.MODERN_INVALID_PARAMS,
                    "Invalid params: a 2026-07-28 request carries io.modelcontextprotocol/protocolVersion and clientCapabilities in params._meta")));
            return;
        }
        Optional<UpstreamTarget> target = upstreams.pickForNewSession();
        if (target.isEmpty()) {
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.NO_UPSTREAM_AVAILABLE,
                    "Service Unavailable: no upstream can take a bridged request")));
            return;
        }
        String principal = command.principal().map(p -> p.subject()).orElse("");
        ModernToLegacy.PoolKey key = ModernToLegacy.PoolKey.of(target.get().name(), principal, stripped.get().envelope());
        JsonValue.Obj request = stripped.get().request();
        String method = request.str("method").orElse("");
        if (DISCOVER.equals(method)) {
            discover(payload, request, key, target.get(), stripped.get().envelope(), client, downstream);
            return;
        }
        carry(payload, request, method, key, target.get(), stripped.get().envelope(), client, downstream, true);
    }

    private void discover(JsonRpcPayload payload, JsonValue.Obj request, ModernToLegacy.PoolKey key, UpstreamTarget target,
                          ModernEnvelope envelope, ClientContext client, DownstreamPort downstream) {
        Instant now = clock.now();
        Discovered known = discovered.get(target.name());
        if (known == null || known.at().plus(DISCOVER_TTL).isBefore(now)) {
            BridgePool.Lease lease = pool.lease(key, target, envelope, client);
            if (!(lease instanceof BridgePool.Lease.Taken taken)) {
                refuse(payload, lease, downstream);
                return;
            }
            pool.giveBack(taken.session());
            known = new Discovered(taken.session().initializeResult(), now);
            discovered.put(target.name(), known);
        }
        List<String> versions = new ArrayList<>();
        versions.add(ModernEnvelope.MODERN_VERSION);
        ProtocolVersion.SUPPORTED.reversed().forEach(v -> versions.add(v.value()));
        JsonValue.Obj result = ModernToLegacy.discoverResult(known.initializeResult(), versions);
        answer(request, JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", request.get("id").orElseThrow(), "result", result), downstream);
    }

    private void carry(JsonRpcPayload payload, JsonValue.Obj request, String method, ModernToLegacy.PoolKey key, UpstreamTarget target,
                       ModernEnvelope envelope, ClientContext client, DownstreamPort downstream, boolean mayRetry) {
        BridgePool.Lease lease = pool.lease(key, target, envelope, client);
        if (!(lease instanceof BridgePool.Lease.Taken taken)) {
            refuse(payload, lease, downstream);
            return;
        }
        BridgePool.Pooled session = taken.session();
        UpstreamReply reply = upstream.send(pool.call(session.session(client), request));
        switch (reply) {
            case UpstreamReply.SessionGone gone -> {
                pool.discard(session, false);
                discovered.remove(target.name());
                if (mayRetry) {
                    LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} lost its session ({1}); opening another and re-sending {2}",
                            target.name(), gone.detail(), method);
                    carry(payload, request, method, key, target, envelope, client, downstream, false);
                } else {
                    downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                            "Bad Gateway: the upstream lost the bridged session twice: " + gone.detail())));
                }
            }
            case UpstreamReply.Answer answer -> {
                pool.giveBack(session);
                Optional<JsonValue.Obj> parsed = BridgePool.parse(answer.message());
                if (parsed.isEmpty()) {
                    downstream.answer(DownstreamPort.Head.NONE, answer.message());
                } else {
                    answer(request, annotated(method, parsed.get(), session), downstream);
                }
            }
            case UpstreamReply.Events events -> {
                boolean complete = stream(events, request, method, session, client, downstream);
                if (complete) {
                    pool.giveBack(session);
                } else {
                    pool.discard(session, true);
                }
            }
            default -> {
                boolean lost = reply instanceof UpstreamReply.Unreachable u && u.cause() != UpstreamReply.Unreachable.Cause.CONNECT
                        && u.cause() != UpstreamReply.Unreachable.Cause.SATURATED;
                if (lost) {
                    pool.discard(session, false);
                } else {
                    pool.giveBack(session);
                }
                answers.relay(reply, payload, Optional.empty(), downstream, List.of(), clock.now(), UpstreamReconnect.NONE,
                        Exchange.NONE, List.of());
            }
        }
    }

    /**
     * Relays the upstream's event stream answering {@code request}: notifications as they come, the answer annotated.
     *
     * @return whether the exchange completed (the session may carry the next request)
     */
    private boolean stream(UpstreamReply.Events events, JsonValue.Obj request, String method, BridgePool.Pooled session,
                           ClientContext client, DownstreamPort downstream) {
        JsonValue id = request.get("id").orElseThrow();
        DownstreamPort.Stream out = downstream.openEventStream(DownstreamPort.Head.NONE);
        try {
            return pump(events, out, id, method, session, client);
        } finally {
            events.close();
            out.close();
        }
    }

    private boolean pump(UpstreamReply.Events events, DownstreamPort.Stream out, JsonValue id, String method, BridgePool.Pooled session,
                         ClientContext client) {
        {
            while (true) {
                UpstreamEvents.Read read = events.events().next();
                if (read instanceof UpstreamEvents.Read.Broken broken) {
                    unanswered(out, id, "the upstream stream broke before answering: " + broken.reason());
                    return false;
                }
                if (!(read instanceof UpstreamEvents.Read.Event e)) {
                    unanswered(out, id, "the upstream ended the stream before answering");
                    return false;
                }
                SseEvent event = e.event().toSseEvent();
                Optional<JsonValue.Obj> message = event.data().isEmpty() ? Optional.empty()
                        : BridgePool.parse(event.data().getBytes(StandardCharsets.UTF_8));
                if (message.isEmpty()) {
                    continue;
                }
                JsonValue.Obj m = message.get();
                if (m.get("method").isPresent() && m.get("id").isPresent()) {
                    refuseQuestion(m, session, client);
                    continue;
                }
                boolean isAnswer = m.get("method").isEmpty() && id.equals(m.get("id").orElse(null));
                JsonValue.Obj relayed = isAnswer ? annotated(method, m, session) : m;
                if (!out.emit(new SseEvent(Optional.empty(), Optional.empty(), relayed.toJson(), Optional.empty()))) {
                    cancel(id, session, client);
                    return false;
                }
                if (isAnswer) {
                    return true;
                }
            }
        }
    }

    /** A server→client request the bridge cannot carry yet: answered upstream with an error, so the call does not hang. */
    private void refuseQuestion(JsonValue.Obj question, BridgePool.Pooled session, ClientContext client) {
        String what = question.str("method").orElse("?");
        LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} asked the client {1}; not bridged yet, answered with an error",
                session.target().name(), what);
        JsonValue.Obj error = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", question.get("id").orElseThrow(), "error",
                JsonValue.obj("code", JsonValue.Num.of(NOT_BRIDGED), "message", JsonValue.str("mcp-relay does not yet carry " + what
                        + " from a 2025-era server to a 2026-07-28 client")));
        upstream.send(pool.call(session.session(client), error)).close();
    }

    private void cancel(JsonValue id, BridgePool.Pooled session, ClientContext client) {
        LOG.log(System.Logger.Level.DEBUG, "bridge: the client closed its stream; cancelling request {0} upstream", id.toJson());
        JsonValue.Obj cancelled = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "method", JsonValue.str("notifications/cancelled"),
                "params", JsonValue.obj("requestId", id, "reason", JsonValue.str("the client closed its stream")));
        upstream.send(pool.call(session.session(client), cancelled)).close();
    }

    private static void unanswered(DownstreamPort.Stream out, JsonValue id, String why) {
        out.emit(new SseEvent(Optional.empty(), Optional.empty(), JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "error",
                JsonValue.obj("code", JsonValue.Num.of(JsonRpcErrorCodes.INTERNAL_ERROR), "message", JsonValue.str("Upstream error: " + why)))
                .toJson(), Optional.empty()));
    }

    private static JsonValue.Obj annotated(String method, JsonValue.Obj answer, BridgePool.Pooled session) {
        if (answer.obj("result").isPresent()) {
            return answer.with("result", ModernToLegacy.annotateResult(method, answer.obj("result").orElseThrow(), session.serverInfo()));
        }
        if (answer.obj("error").isPresent()) {
            return answer.with("error", ModernToLegacy.annotateError(answer.obj("error").orElseThrow()));
        }
        return answer;
    }

    private static void answer(JsonValue.Obj request, JsonValue.Obj answer, DownstreamPort downstream) {
        downstream.answer(DownstreamPort.Head.NONE, answer.toJson().getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(JsonRpcPayload payload, BridgePool.Lease lease, DownstreamPort downstream) {
        switch (lease) {
            case BridgePool.Lease.Full full -> downstream.reject(UpstreamAnswers.forPayload(payload,
                    Rejection.of(RejectionReason.UPSTREAM_SATURATED, "Service Unavailable: " + full.why())));
            case BridgePool.Lease.Refused refused -> {
                if (refused.reply() instanceof UpstreamReply.Refused r && r.error().isEmpty()) {
                    downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                            "Bad Gateway: " + refused.why())));
                } else {
                    answers.relay(refused.reply(), payload, Optional.empty(), downstream, List.of(), clock.now(),
                            UpstreamReconnect.NONE, Exchange.NONE, List.of());
                }
            }
            case BridgePool.Lease.Taken taken -> throw new IllegalStateException("not a refusal");
        }
    }
}
