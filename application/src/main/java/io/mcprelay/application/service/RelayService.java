package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.in.RelayMessageUseCase;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.era.EraClassifier;
import io.mcprelay.domain.era.EraDecision;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.limit.Caller;
import io.mcprelay.domain.limit.LimitKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import io.mcprelay.domain.session.SessionAdmission.Admission;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Relays POSTed messages: decodes the body once, decides its era ({@link EraClassifier}: a
 * 2026-07-28 request goes to {@link ModernRelay}, without any session), applies the session rules to
 * the others, sends the original bytes to the session's upstream exactly once, and relays the answer
 * as the upstream gave it.
 */
public final class RelayService implements RelayMessageUseCase {

    private static final System.Logger LOG = System.getLogger(RelayService.class.getName());
    /** Metric labels for bodies that are not a single request or notification. */
    private static final String INVALID = "invalid";
    private static final String BATCH = "batch";
    private static final String RESPONSE = "response";

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final MessageCodecPort codec;
    private final UpstreamCatalog upstreams;
    private final RelaySettings settings;
    private final SessionOpener opener;
    private final UpstreamAnswers answers;
    private final StreamRelay streams;
    private final SessionGate gate;
    private final SessionLoad inFlight;
    private final RateLimitGate limits;
    private final ModernRelay modern;
    private final Optional<ModernUpstreamBridge> bridgeToModern;

    public RelayService(SessionStorePort sessions, UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams,
                        SessionOpener opener, RelaySettings settings, StreamRelay streams) {
        this(sessions, upstream, codec, upstreams, opener, settings, streams, RateLimitGate.withoutLimits(streams.metrics()));
    }

    /** As the other constructor, with the rate limits {@code limits} checks before a message goes upstream. */
    public RelayService(SessionStorePort sessions, UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams,
                        SessionOpener opener, RelaySettings settings, StreamRelay streams, RateLimitGate limits) {
        this(sessions, upstream, codec, upstreams, opener, settings, streams, limits, new EraProbe(upstream, codec, upstreams));
    }

    /**
     * As the other constructors, with the {@link EraProbe} that learns which upstreams serve the
     * 2026-07-28 era (shared with the health checks, which refresh what it learnt).
     */
    public RelayService(SessionStorePort sessions, UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams,
                        SessionOpener opener, RelaySettings settings, StreamRelay streams, RateLimitGate limits, EraProbe eraProbe) {
        this(sessions, upstream, codec, upstreams, opener, settings, streams, limits, eraProbe, Optional.empty());
    }

    /**
     * As the other constructors, with bridge (a) ({@link ModernUpstreamBridge}, shared with the GET and DELETE use
     * cases): 2025-era clients of upstreams that serve only the 2026-07-28 era get sessions of mcp-relay's own.
     */
    public RelayService(SessionStorePort sessions, UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams,
                        SessionOpener opener, RelaySettings settings, StreamRelay streams, RateLimitGate limits, EraProbe eraProbe,
                        Optional<ModernUpstreamBridge> bridgeToModern) {
        this.bridgeToModern = Objects.requireNonNull(bridgeToModern, "bridgeToModern");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.answers = new UpstreamAnswers(streams);
        this.gate = new SessionGate(sessions);
        this.inFlight = new SessionLoad(settings.share().maxRequests());
        this.modern = new ModernRelay(upstream, upstreams, settings, streams, limits, Objects.requireNonNull(eraProbe, "eraProbe"));
    }

    /**
     * As this instance stops, ends every round of bridge (a) that waits for its client's answer, with a JSON-RPC error
     * on the client's stream (a round waits on a person or a model, longer than a drain); how many.
     */
    public int endBridgeRounds() {
        return bridgeToModern.map(ModernUpstreamBridge::endRounds).orElse(0);
    }

    /**
     * As this instance stops, ends upstream what bridge (b) holds: its parked calls cancelled, its pooled sessions
     * ended, waited for at most {@code within}; how many of these endings finished in time.
     */
    public int endBridgeUpstreams(java.time.Duration within) {
        return modern.stopBridge(within);
    }

    @Override
    public void relay(RelayMessageCommand command, DownstreamPort client) {
        OutcomeRecordingDownstream downstream = new OutcomeRecordingDownstream(client);
        long started = System.nanoTime();
        Optional<JsonRpcPayload> payload = Optional.empty();
        ProtocolEra era = ProtocolEra.of(command.routing().protocolVersion());
        try {
            payload = decode(command, downstream);
            if (payload.isPresent()) {
                // the era is decided before any session rule: a modern request needs no session
                switch (EraClassifier.classify(payload.get(), command.routing())) {
                    case EraDecision.Legacy legacy -> {
                        era = ProtocolEra.LEGACY;
                        admit(payload.get(), command, downstream);
                    }
                    case EraDecision.Modern modernRequest -> {
                        era = ProtocolEra.MODERN;
                        modern.relay(payload.get(), modernRequest.version(), command, downstream);
                    }
                    case EraDecision.Refused refused -> {
                        era = ProtocolEra.MODERN;
                        downstream.reject(refused.rejection());
                    }
                }
            }
        } finally {
            String method = payload.map(RelayService::methodLabel).orElse(INVALID);
            logRefusal(method, era, downstream);
            streams.metrics().requestCompleted(method, downstream.outcome(), Duration.ofNanos(System.nanoTime() - started), era);
        }
    }

    /**
     * One line per request mcp-relay refused itself (not the upstream's refusals, passed on as they
     * came), with the reason and what the client was told: enough to see why a client cannot get in
     * without a stack trace. Bounded by what is logged of the detail.
     */
    private static void logRefusal(String method, ProtocolEra era, OutcomeRecordingDownstream downstream) {
        // a client over its limits may send thousands a second: those are counted (mcp_relay_requests_limited_total), not logged
        downstream.refusal().ifPresent(rejection -> LOG.log(rejection.reason() == RejectionReason.RATE_LIMITED
                        || rejection.reason() == RejectionReason.SESSION_BUSY ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                "refused {0} ({1} era): {2}: {3}",
                method.length() > 64 ? method.substring(0, 64) + "..." : method, era.label(),
                rejection.reason().name().toLowerCase(java.util.Locale.ROOT),
                rejection.detail().length() > 200 ? rejection.detail().substring(0, 200) + "..." : rejection.detail()));
    }

    /** The decoded body, or empty once the client was told it cannot be decoded. */
    private Optional<JsonRpcPayload> decode(RelayMessageCommand command, DownstreamPort downstream) {
        switch (codec.decode(command.body())) {
            case DecodedPayload.Malformed malformed -> {
                downstream.reject(Rejection.of(RejectionReason.PARSE_ERROR, "Parse error: " + malformed.reason()));
                return Optional.empty();
            }
            case DecodedPayload.Invalid invalid -> {
                downstream.reject(Rejection.of(RejectionReason.INVALID_MESSAGE, "Invalid Request: " + invalid.reason()));
                return Optional.empty();
            }
            case DecodedPayload.Decoded decoded -> {
                return Optional.of(decoded.payload());
            }
        }
    }

    private void admit(JsonRpcPayload payload, RelayMessageCommand command, DownstreamPort downstream) {
        try {
            switch (SessionAdmission.admitPost(payload, command.sessionId())) {
                // the refusal answers the request it refuses (a JSON-RPC error with "id": null would answer nothing)
                case Admission.Refused refused -> downstream.reject(UpstreamAnswers.forPayload(payload, refused.rejection()));
                case Admission.OpenSession open -> opener.open(open.initialize(), command, downstream, bridgeToModern);
                case Admission.UseSession use -> relayInSession(use.sessionId(), payload, command, downstream);
            }
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "session store unavailable: {0}", e.getMessage());
            downstream.reject(SessionGate.storeUnavailable());
        }
    }

    /** The method a body is counted under: a single message's own, or what kind of body it was. */
    private static String methodLabel(JsonRpcPayload payload) {
        return switch (payload) {
            case JsonRpcPayload.Batch batch -> BATCH;
            case JsonRpcPayload.Single single -> switch (single.message()) {
                case JsonRpcMessage.Request request -> request.method();
                case JsonRpcMessage.Notification notification -> notification.method();
                case JsonRpcMessage.Response response -> RESPONSE;
                case JsonRpcMessage.ErrorResponse error -> RESPONSE;
            };
        };
    }

    private void relayInSession(ProxySessionId id, JsonRpcPayload payload, RelayMessageCommand command, DownstreamPort downstream) {
        Optional<Session> entered = gate.enter(id, command.protocolVersion(), command.client(), SessionGate.Renew.YES, downstream);
        if (entered.isEmpty()) {
            return;
        }
        Session session = entered.get();
        Optional<Rejection> refused = SessionAdmission.checkBatching(payload, session.protocolVersion(), command.protocolVersion());
        if (refused.isPresent()) {
            downstream.reject(refused.get());
            return;
        }
        Caller caller = RateLimitGate.callerOf(command, session);
        Optional<Rejection> limited = limits.admit(caller, payload);
        if (limited.isPresent()) {
            downstream.reject(limited.get());
            return;
        }
        Optional<UpstreamTarget> target = upstreams.byName(session.upstream());
        if (target.isEmpty()) {
            sessions.delete(id);
            streams.forgetSession(id);
            downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found: its upstream is no longer configured"));
            return;
        }
        // while nothing intercepts at all, nothing is made for it: the exchange runs to its end without interceptors
        Exchange exchange = streams.interception().isIdle() ? Exchange.NONE : Exchange.of(session, payload, command.principal());
        byte[] body = command.body();
        JsonRpcPayload forwarded = payload;
        List<String> answeredHere = List.of();
        if (streams.interception().intercepts(Direction.REQUEST)) {
            Rewrite rewrite = streams.interception().intercept(Direction.REQUEST, exchange, payload, new String(body, StandardCharsets.UTF_8));
            if (rewrite.changed()) {
                if (rewrite.forwarded().isEmpty()) {
                    answerHere(payload, rewrite.answers(), session, downstream);
                    return;
                }
                forwarded = rewrite.forwarded().get();
                body = rewrite.text().orElseThrow().getBytes(StandardCharsets.UTF_8);
                answeredHere = rewrite.answers();
            }
        }
        if (!forwarded.expectsResponse() && bridgeToModern.isPresent() && ModernUpstreamBridge.bridged(session)) {
            // a bridged session's notifications and answers are taken here, never sent upstream: no place of its
            // share is needed (an answer to a question must get in while the call that asked it holds a place)
            forward(id, session, target.get(), command, forwarded, body, exchange, answeredHere, downstream);
            return;
        }
        Optional<SessionLoad.Slot> slot = inFlight.take(id);
        if (slot.isEmpty()) {
            limits.countBusy(caller);
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.SESSION_BUSY,
                    "Too Many Requests: this session already has " + inFlight.share() + " requests in flight, its share"
                            + " (session-max-requests); retry when one of them is answered")
                    .withData("{\"limit\":\"" + LimitKind.SESSION_MAX_REQUESTS.label() + "\",\"maxInFlight\":" + inFlight.share() + "}")));
            return;
        }
        try (SessionLoad.Slot held = slot.get()) {
            forward(id, session, target.get(), command, forwarded, body, exchange, answeredHere, downstream);
        }
    }

    /** Sends the (possibly rewritten) body upstream and relays the answer, holding one of the session's slots. */
    private void forward(ProxySessionId id, Session session, UpstreamTarget target, RelayMessageCommand command, JsonRpcPayload forwarded,
                         byte[] body, Exchange exchange, List<String> answeredHere, DownstreamPort downstream) {
        if (bridgeToModern.isPresent() && ModernUpstreamBridge.bridged(session)) {
            bridgeToModern.get().relay(session, target, command, forwarded, body, exchange, answeredHere, downstream);
            return;
        }
        UpstreamSession upstreamSession = UpstreamSessions.of(target, session,
                UpstreamSessions.clientContext(command.headers(), settings.headerPolicy()));
        Instant requestedAt = streams.clock().now();
        UpstreamReply response = upstream.send(new UpstreamCall(upstreamSession, forwarded, body));
        Optional<String> lost = lostSession(response);
        if (lost.isPresent()) {
            sessions.delete(id);
            streams.forgetSession(id);
            LOG.log(System.Logger.Level.INFO, "session {0}: upstream {1} lost it ({2}); removed", id, session.upstream(), lost.get());
            response.close();
            downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found: the upstream ended it; initialize a new session"));
            return;
        }
        answers.relay(response, forwarded, Optional.of(session), downstream, List.of(), requestedAt,
                UpstreamSessions.reattach(upstream, upstreamSession, StreamKind.POST_RESPONSE), exchange, answeredHere);
    }

    /**
     * Answers a body the interceptors kept entirely from the upstream: a single request with its
     * answer, a batch with the array of its answers, notifications alone with 202.
     */
    private static void answerHere(JsonRpcPayload payload, List<String> answers, Session session, DownstreamPort downstream) {
        DownstreamPort.Head head = DownstreamPort.Head.of(Optional.of(session.id()));
        if (answers.isEmpty()) {
            downstream.accepted(head);
        } else if (payload instanceof JsonRpcPayload.Single) {
            downstream.answer(head, answers.getFirst().getBytes(StandardCharsets.UTF_8));
        } else {
            downstream.answer(head, ("[" + String.join(",", answers) + "]").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Why the upstream lost the session, if it did: it says it no longer has it, or it cannot be
     * reached at all (nothing was sent) (BRIEF §4.8). The client re-initializes, on a live upstream.
     */
    private static Optional<String> lostSession(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.SessionGone gone -> Optional.of(gone.detail());
            case UpstreamReply.Unreachable unreachable when unreachable.cause() == UpstreamReply.Unreachable.Cause.CONNECT ->
                    Optional.of(unreachable.cause() + ": " + unreachable.detail());
            default -> Optional.empty();
        };
    }
}
