package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.SessionIdGeneratorPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import io.mcprelay.domain.session.UpstreamSessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Opens sessions (BRIEF §4.1): picks an upstream, forwards the client's initialize, reads the
 * upstream's session id and negotiated version, mints our own session id and stores the mapping
 * before the client sees the answer. A session exists only once the upstream has accepted it.
 *
 * <p>An initialize that could not even be sent (connection refused, unknown host, connect timed out, open circuit:
 * {@link UpstreamReply.Unreachable.Cause#CONNECT}) goes to the next eligible upstream, as nginx's
 * {@code proxy_next_upstream error} and Envoy's {@code retry_on: connect-failure} do, so that a new
 * session does not fail while a healthy upstream exists and the probes or the breaker have not noticed
 * the dead one yet (the failure counts against its breaker, in {@link GuardedUpstream}). At most one
 * try per upstream; 503 when none is left, with the reasons the transports gave for the client (a
 * stdio upstream's: its command was not found, its process exited at start). An initialize that was
 * sent is never sent again, whatever came back.
 *
 * <p>When the upstream answers initialize with an event stream, the events up to the initialize
 * result are held (at most {@link RelaySettings#maxInitializeEvents()}), because the
 * {@code Mcp-Session-Id} header must go out before the first of them.
 *
 * <p>The interceptors do not see the initialize exchange: the session is opened from the upstream's
 * real initialize result, and there is no session yet for a rule to match on.
 */
public final class SessionOpener {

    private static final System.Logger LOG = System.getLogger(SessionOpener.class.getName());

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final MessageCodecPort codec;
    private final UpstreamCatalog upstreams;
    private final ClockPort clock;
    private final SessionIdGeneratorPort ids;
    private final RelaySettings settings;
    private final UpstreamAnswers answers;
    private final ClientQuotas quotas;

    public SessionOpener(SessionStorePort sessions, UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams,
                         ClockPort clock, SessionIdGeneratorPort ids, RelaySettings settings, StreamRelay streams) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.answers = new UpstreamAnswers(Objects.requireNonNull(streams, "streams"));
        this.quotas = new ClientQuotas(sessions, settings.quota(), ClientQuotas.evicting(sessions, upstream, upstreams, settings, streams));
    }

    void open(JsonRpcMessage.Request initialize, RelayMessageCommand command, DownstreamPort downstream) {
        open(initialize, command, downstream, Optional.empty());
    }

    /**
     * As {@link #open(JsonRpcMessage.Request, RelayMessageCommand, DownstreamPort)}, with bridge (a): an upstream
     * known to serve only the 2026-07-28 era, or one that refuses the initialize with a modern-era error and a
     * probe finds modern-only, gets no initialize; the bridge answers it ({@link ModernUpstreamBridge#open}).
     */
    void open(JsonRpcMessage.Request initialize, RelayMessageCommand command, DownstreamPort downstream,
              Optional<ModernUpstreamBridge> bridge) {
        JsonRpcPayload payload = new JsonRpcPayload.Single(initialize);
        Optional<Rejection> badVersion = SessionAdmission.checkVersionHeader(command.protocolVersion(), Optional.empty());
        if (badVersion.isPresent()) {
            downstream.reject(badVersion.get().answering(initialize.id()));
            return;
        }
        ClientContext client = UpstreamSessions.clientContext(command.headers(), settings.headerPolicy());
        Set<String> tried = new LinkedHashSet<>();
        List<String> reasons = new ArrayList<>();
        // one try per upstream at most, bounded also against upstreams added while this runs
        int maxTries = upstreams.all().size();
        while (tried.size() < maxTries) {
            Optional<UpstreamTarget> target = upstreams.pickForNewSession(tried);
            if (target.isEmpty()) {
                break;
            }
            tried.add(target.get().name());
            if (bridge.isPresent() && bridge.get().servesOnlyModern(target.get())) {
                bridge.get().open(initialize, target.get(), command, downstream, this);
                return;
            }
            UpstreamSession opening = UpstreamSession.opening(target.get(), client);
            Instant requestedAt = clock.now();
            UpstreamReply response = upstream.send(new UpstreamCall(opening, payload, command.body()));
            switch (response) {
                case UpstreamReply.Unreachable unreachable when unreachable.cause() == UpstreamReply.Unreachable.Cause.CONNECT -> {
                    // never sent (refused, unknown host, connect timed out, open circuit): safe to send to the next upstream
                    LOG.log(System.Logger.Level.WARNING, "initialize: upstream {0} cannot be reached ({1}); trying the next one",
                            target.get().name(), unreachable.detail());
                    unreachable.reason().ifPresent(why -> reasons.add(target.get().name() + ": " + UpstreamAnswers.clip(why)));
                    continue;
                }
                case UpstreamReply.Refused refused when bridge.isPresent() && bridge.get().refusedAsModernOnly(target.get(), refused) -> {
                    LOG.log(System.Logger.Level.INFO, "initialize: upstream {0} serves only the 2026-07-28 era; bridging the session",
                            target.get().name());
                    bridge.get().open(initialize, target.get(), command, downstream, this);
                }
                case UpstreamReply.Answer answer -> openFromAnswer(initialize, answer, opening, command.client(), downstream);
                case UpstreamReply.Events stream -> openFromStream(initialize, stream, opening, command.client(), payload,
                        downstream, requestedAt);
                default -> answers.relay(response, payload, Optional.empty(), downstream);
            }
            return;
        }
        downstream.reject(Rejection.of(RejectionReason.NO_UPSTREAM_AVAILABLE, "Service Unavailable: no upstream can take a new session"
                + (tried.isEmpty() ? "" : "; none of " + String.join(", ", tried) + " can be reached")
                + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")).answering(initialize.id()));
    }

    private void openFromAnswer(JsonRpcMessage.Request initialize, UpstreamReply.Answer answer, UpstreamSession opening, ClientKey owner,
                                DownstreamPort downstream) {
        switch (initializeOutcome(initialize, answer.message())) {
            case Outcome.Succeeded ok -> {
                Optional<Session> session = createSession(initialize, ok.version(), opening, answer.session(), owner, downstream);
                if (session.isPresent()) {
                    answers.relayDecodedAnswer(answer, session, downstream);
                }
            }
            // an error answered to initialize opens nothing: counted as the upstream's refusal, sent as it came
            case Outcome.Refused refused -> downstream.refused(new DownstreamPort.Head(Optional.empty(), answer.echo()), answer.message(), false);
            case Outcome.Unusable unusable -> downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream's initialize answer is unusable: " + unusable.why()).answering(initialize.id()));
            case Outcome.NotYet notYet -> downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream's JSON answer does not answer initialize").answering(initialize.id()));
        }
    }

    private void openFromStream(JsonRpcMessage.Request initialize, UpstreamReply.Events stream, UpstreamSession opening,
                                ClientKey owner, JsonRpcPayload payload, DownstreamPort downstream, Instant requestedAt) {
        List<SseEvent> held = new ArrayList<>();
        Outcome outcome = new Outcome.NotYet();
        Optional<String> broke = Optional.empty();
        while (outcome instanceof Outcome.NotYet && held.size() < settings.maxInitializeEvents()) {
            UpstreamEvents.Read read = stream.events().next();
            if (read instanceof UpstreamEvents.Read.Broken broken) {
                broke = Optional.of(broken.reason());
            }
            if (!(read instanceof UpstreamEvents.Read.Event event)) {
                break;
            }
            SseEvent sse = event.event().toSseEvent();
            held.add(sse);
            if (sse.isMessage() && !sse.data().isEmpty()) {
                outcome = initializeOutcome(initialize, sse.data().getBytes(StandardCharsets.UTF_8));
            }
        }
        switch (outcome) {
            case Outcome.Succeeded ok -> {
                Optional<Session> session;
                try {
                    session = createSession(initialize, ok.version(), opening, stream.session(), owner, downstream);
                } catch (RuntimeException e) {
                    stream.close();
                    throw e;
                }
                if (session.isPresent()) {
                    answers.relay(stream, payload, session, downstream, held, requestedAt, UpstreamReconnect.NONE, Exchange.NONE, List.of());
                } else {
                    stream.close();
                }
            }
            case Outcome.Refused refused -> answers.relay(stream, payload, Optional.empty(), downstream, held, requestedAt, UpstreamReconnect.NONE,
                    Exchange.NONE, List.of());
            case Outcome.Unusable unusable -> {
                stream.close();
                downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                        "Bad Gateway: the upstream's initialize answer is unusable: " + unusable.why()).answering(initialize.id()));
            }
            case Outcome.NotYet notYet -> {
                stream.close();
                downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED, broke
                        .map(why -> "Bad Gateway: the upstream's event stream broke before the initialize result: " + why)
                        .orElse("Bad Gateway: the upstream's event stream ended or ran on without an initialize result")).answering(initialize.id()));
            }
        }
    }

    private Optional<Session> createSession(JsonRpcMessage.Request initialize, ProtocolVersion version, UpstreamSession opening,
                                            Optional<UpstreamSessionId> upstreamId, ClientKey owner, DownstreamPort downstream) {
        UpstreamTarget target = opening.target();
        ClientInfo client = new ClientInfo(initialize.facts().clientName().orElse(ClientInfo.UNKNOWN.name()),
                initialize.facts().clientVersion().orElse(""));
        for (int attempt = 0; attempt < 3; attempt++) {
            Session session = Session.opened(ids.next(), target.name(), upstreamId, version, client, clock.now(), owner);
            SessionStorePort.CreateOutcome outcome;
            try {
                outcome = quotas.create(session);
            } catch (StoreUnavailableException e) {
                releaseUpstreamSession(opening, upstreamId, version);
                throw e;
            }
            switch (outcome) {
                case CREATED -> {
                    LOG.log(System.Logger.Level.INFO, "session {0}: opened on upstream {1}, protocol {2}, client {3}",
                            session.id(), target.name(), version, client.name());
                    return Optional.of(session);
                }
                case ID_TAKEN -> LOG.log(System.Logger.Level.WARNING, "minted session id already taken; minting another");
                case CAPACITY_REACHED -> {
                    releaseUpstreamSession(opening, upstreamId, version);
                    downstream.reject(Rejection.of(RejectionReason.SESSION_LIMIT_REACHED,
                            "Service Unavailable: the session limit is reached").answering(initialize.id()));
                    return Optional.empty();
                }
            }
        }
        releaseUpstreamSession(opening, upstreamId, version);
        throw new IllegalStateException("three freshly minted session ids were all taken: the id generator is broken");
    }

    /**
     * Stores a session of bridge (a) on {@code target}, its state in {@code slot} ({@link io.mcprelay.domain.bridge.BridgedSession}),
     * by the same quotas as any session; empty once the client was told why it could not be stored.
     */
    Optional<Session> createBridged(JsonRpcMessage.Request initialize, ProtocolVersion version, UpstreamTarget target, UpstreamSessionId slot,
                                    ClientKey owner, DownstreamPort downstream) {
        return createSession(initialize, version, UpstreamSession.opening(target, ClientContext.NONE), Optional.of(slot), owner, downstream);
    }

    /** The session we could not store must not linger upstream (a bridged one has nothing upstream). */
    private void releaseUpstreamSession(UpstreamSession opening, Optional<UpstreamSessionId> upstreamId, ProtocolVersion version) {
        upstreamId.filter(id -> !io.mcprelay.domain.bridge.BridgedSession.isBridged(Optional.of(id))).ifPresent(id -> upstream.end(UpstreamSession.established(opening.target(), upstreamId, version, ClientContext.NONE)).close());
    }

    /** What one upstream message says about the initialize request. */
    private Outcome initializeOutcome(JsonRpcMessage.Request initialize, byte[] json) {
        if (!(codec.decode(json) instanceof DecodedPayload.Decoded decoded)) {
            return new Outcome.Unusable("not a JSON-RPC message");
        }
        for (JsonRpcMessage message : decoded.payload().messages()) {
            if (message instanceof JsonRpcMessage.Response response && response.id().equals(initialize.id())) {
                Optional<String> version = response.facts().protocolVersion();
                if (version.isEmpty()) {
                    return new Outcome.Unusable("the result names no protocolVersion");
                }
                try {
                    return new Outcome.Succeeded(new ProtocolVersion(version.get()));
                } catch (IllegalArgumentException e) {
                    return new Outcome.Unusable(e.getMessage());
                }
            }
            if (message instanceof JsonRpcMessage.ErrorResponse error
                    && error.id().map(initialize.id()::equals).orElse(true)) {
                return new Outcome.Refused();
            }
        }
        return new Outcome.NotYet();
    }

    private sealed interface Outcome {
        record Succeeded(ProtocolVersion version) implements Outcome {}

        record Refused() implements Outcome {}

        record Unusable(String why) implements Outcome {}

        record NotYet() implements Outcome {}
    }
}
