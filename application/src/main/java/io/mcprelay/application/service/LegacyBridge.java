package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.bridge.ParkedQuestions;
import io.mcprelay.domain.bridge.RequestStateSealer;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Bridge (b), a first slice: a 2026-07-28 client in front of upstreams that serve only the 2025 era (design note
 * §6). {@code server/discover} is answered from the upstream's {@code InitializeResult} (cached per upstream for
 * {@link #DISCOVER_TTL}); any other request is carried in an upstream session the bridge holds ({@link BridgePool}),
 * without the reserved {@code _meta} keys, and its answer is annotated as a modern client expects it
 * ({@code resultType}, {@code ttlMs}/{@code cacheScope}, {@code serverInfo}, -32002 → -32602). A session the upstream
 * lost is opened again and the request re-sent once (nothing ran). A request's log level is set on its session with
 * {@code logging/setLevel} first. The upstream's event stream is relayed by {@link BridgeStream}: progress (and log
 * messages, when the request set a level) as they come; a server→client question in the middle of a call becomes an
 * {@code input_required} result, the call {@link BridgeParking parked} until the client's retry, which this class
 * hands to {@link BridgeStream#resume}; the client closing its stream sends {@code notifications/cancelled} upstream.
 * {@code subscriptions/listen} is served by {@link BridgeListen} in a session of its own. Interceptor rules see the
 * request (before anything goes upstream), JSON answers and stream events, as on direct modern traffic.
 */
final class LegacyBridge {

    private static final System.Logger LOG = System.getLogger(LegacyBridge.class.getName());
    static final String DISCOVER = "server/discover";
    static final Duration DISCOVER_TTL = Duration.ofSeconds(60);
    /** How long a parked call waits for its client's retry, and how many may wait, in all and per principal. */
    static final Duration PARK_TIMEOUT = Duration.ofMinutes(2);
    static final int MAX_PARKED = 256;
    static final int MAX_PARKED_PER_PRINCIPAL = 16;

    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final ClockPort clock;
    private final InterceptionService interception;
    private final BridgePool pool;
    private final UpstreamAnswers answers;
    private final BridgeParking parking;
    private final BridgeStream streams;
    private final BridgeListen listens;
    private final ConcurrentMap<String, Discovered> discovered = new ConcurrentHashMap<>();
    private final AtomicLong setLevelIds = new AtomicLong();

    private record Discovered(JsonValue.Obj initializeResult, Instant at) {
    }

    /**
     * @param sealer   seals the {@code requestState} of parked calls (its key never leaves this instance)
     * @param schedule runs a task after a delay, off the caller's thread (the parked calls' expiry)
     * @param relay    the stream relay whose clock, interceptors, supervision and metrics bridged requests use
     */
    LegacyBridge(UpstreamPort upstream, UpstreamCatalog upstreams, StreamRelay relay, BridgePool pool, UpstreamAnswers answers,
                 RequestStateSealer sealer, BiConsumer<Runnable, Duration> schedule) {
        this.answers = Objects.requireNonNull(answers, "answers");
        this.interception = relay.interception();
        this.clock = relay.clock();
        BridgeStream[] relaying = new BridgeStream[1];
        this.parking = new BridgeParking(sealer, clock, PARK_TIMEOUT, MAX_PARKED, MAX_PARKED_PER_PRINCIPAL, p -> relaying[0].expire(p),
                schedule, relay.metrics());
        this.streams = new BridgeStream(upstream, pool, parking, relay);
        this.listens = new BridgeListen(upstream, pool, relay);
        relaying[0] = streams;
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Whether the bridge speaks {@code version} (only 2026-07-28 for now). */
    static boolean speaks(String version) {
        return ModernEnvelope.MODERN_VERSION.equals(version);
    }

    /** Relays one modern message ({@code payload} decoded from {@code body}) to a legacy-only upstream. */
    void relay(JsonRpcPayload received, byte[] body, RelayMessageCommand command, ClientContext modernClient, DownstreamPort downstream) {
        ClientContext client = withoutRoutingHeaders(modernClient);
        if (UpstreamAnswers.singleRequestId(received).isEmpty() || BridgePool.parse(body).isEmpty()) {
            downstream.accepted(DownstreamPort.Head.NONE); // a modern notification has no session upstream to go to
            return;
        }
        Optional<UpstreamTarget> target = upstreams.pickForNewSession();
        if (target.isEmpty()) {
            downstream.reject(UpstreamAnswers.forPayload(received, Rejection.of(RejectionReason.NO_UPSTREAM_AVAILABLE,
                    "Service Unavailable: no upstream can take a bridged request")));
            return;
        }
        Exchange exchange = interception.isIdle() ? Exchange.NONE
                : new Exchange(true, Optional.empty(), Optional.of(target.get().name()), Optional.of(received), command.principal());
        JsonRpcPayload payload = received;
        Optional<JsonValue.Obj> message = BridgePool.parse(body);
        if (exchange.intercepted() && interception.intercepts(Direction.REQUEST)) {
            Rewrite rewrite = interception.intercept(Direction.REQUEST, exchange, received, new String(body, StandardCharsets.UTF_8));
            if (rewrite.changed() && rewrite.forwarded().isEmpty()) {
                downstream.answer(DownstreamPort.Head.NONE, rewrite.answers().getFirst().getBytes(StandardCharsets.UTF_8)); // blocked, mocked
                return;
            }
            if (rewrite.changed()) {
                payload = rewrite.forwarded().get();
                message = BridgePool.parse(rewrite.text().orElseThrow().getBytes(StandardCharsets.UTF_8));
            }
        }
        Optional<ModernEnvelope.Stripped> stripped = message.flatMap(ModernEnvelope::strip);
        if (stripped.isEmpty()) {
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.MODERN_INVALID_PARAMS,
                    "Invalid params: a 2026-07-28 request carries io.modelcontextprotocol/protocolVersion and clientCapabilities in params._meta")));
            return;
        }
        String principal = command.principal().map(p -> p.subject()).orElse("");
        ModernToLegacy.PoolKey key = ModernToLegacy.PoolKey.of(target.get().name(), principal, stripped.get().envelope());
        JsonValue.Obj request = stripped.get().request();
        String method = request.str("method").orElse("");
        if (DISCOVER.equals(method)) {
            discover(payload, request, key, target.get(), stripped.get().envelope(), client, exchange, downstream);
            return;
        }
        if (ModernRelay.LISTEN.equals(method)) {
            // a listen holds its own session till it ends: counted under a key of its own, so listens cannot starve calls
            BridgePool.Lease lease = pool.lease(new ModernToLegacy.PoolKey(key.upstream(), key.principal(), "listen " + key.capabilities()),
                    target.get(), stripped.get().envelope(), client);
            if (lease instanceof BridgePool.Lease.Taken taken) {
                listens.listen(request, taken.session(), client, exchange, downstream);
            } else {
                refuse(payload, lease, downstream);
            }
            return;
        }
        Optional<String> requestState = request.obj("params").flatMap(p -> p.str("requestState"));
        if (requestState.isPresent() && ParkedQuestions.mayRequireInput(method)) {
            streams.resume(requestState.get(), new BridgeStream.Retry(request.get("id").orElseThrow(), method,
                    request.obj("params").orElseThrow(), client, stripped.get().envelope(), principal, exchange), downstream);
            return;
        }
        carry(payload, request, method, key, target.get(), stripped.get().envelope(), client, exchange, downstream, true);
    }

    /** The client's context without its 2026-07-28 routing values ({@link ModernToLegacy#isModernRouting}). */
    static ClientContext withoutRoutingHeaders(ClientContext client) {
        Map<String, String> values = new LinkedHashMap<>(client.values());
        values.keySet().removeIf(ModernToLegacy::isModernRouting);
        return values.size() == client.values().size() ? client : new ClientContext(values, client.subjectToken());
    }

    /**
     * Ends upstream what the bridge holds, as this instance stops: each parked call is cancelled the 2025 way
     * ({@code notifications/cancelled}, its stream closed) and its session ended, each idle session is ended
     * ({@code DELETE}), side by side, waited for at most {@code within}; a session leased now is ended when its call
     * gives it back. A retry of a cancelled call gets the refusal of a call that has ended. Returns how many of these
     * endings finished in time.
     */
    int stop(Duration within) {
        List<BridgeParking.Parked> parked = parking.stop();
        List<BridgePool.Pooled> idle = pool.stop();
        List<Runnable> endings = new ArrayList<>();
        parked.forEach(p -> endings.add(() -> streams.stop(p)));
        idle.forEach(s -> endings.add(() -> pool.end(s, "stopped")));
        if (endings.isEmpty()) {
            return 0;
        }
        int ended = endAll(endings, within);
        LOG.log(System.Logger.Level.INFO, "bridge: stopping: {0} parked calls cancelled and {1} idle sessions ended upstream{2}",
                parked.size(), idle.size(), ended < endings.size() ? "; " + (endings.size() - ended) + " of these unfinished after "
                        + within.toMillis() + " ms" : "");
        return ended;
    }

    /**
     * Runs each of {@code endings} (an exchange with an upstream) on a virtual thread of its own, so that a slow upstream
     * holds up no other, and waits for them at most {@code within}; how many finished. A failure is logged at DEBUG.
     */
    static int endAll(List<Runnable> endings, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Thread> running = new ArrayList<>();
        for (Runnable ending : endings) {
            running.add(Thread.ofVirtual().name("bridge-stop").start(() -> {
                try {
                    ending.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "bridge: an upstream ending failed at the stop: {0}", e.toString());
                }
            }));
        }
        int finished = 0;
        try {
            for (Thread thread : running) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
                finished += thread.isAlive() ? 0 : 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return finished;
    }

    /** Parked calls now, for metrics and tests. */
    int parked() {
        return parking.size();
    }

    private void discover(JsonRpcPayload payload, JsonValue.Obj request, ModernToLegacy.PoolKey key, UpstreamTarget target,
                          ModernEnvelope envelope, ClientContext client, Exchange exchange, DownstreamPort downstream) {
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
        answer(payload, JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", request.get("id").orElseThrow(), "result", result), exchange,
                downstream);
    }

    private void carry(JsonRpcPayload payload, JsonValue.Obj request, String method, ModernToLegacy.PoolKey key, UpstreamTarget target,
                       ModernEnvelope envelope, ClientContext client, Exchange exchange, DownstreamPort downstream, boolean mayRetry) {
        BridgePool.Lease lease = pool.lease(key, target, envelope, client);
        if (!(lease instanceof BridgePool.Lease.Taken taken)) {
            refuse(payload, lease, downstream);
            return;
        }
        BridgePool.Pooled session = taken.session();
        setLevel(session, envelope, client);
        UpstreamReply reply = upstream.send(pool.call(session.session(client), request));
        switch (reply) {
            case UpstreamReply.SessionGone gone -> {
                pool.discard(session, false);
                discovered.remove(target.name());
                if (mayRetry) {
                    LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} lost its session ({1}); opening another and re-sending {2}",
                            target.name(), gone.detail(), method);
                    carry(payload, request, method, key, target, envelope, client, exchange, downstream, false);
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
                    answer(payload, BridgeStream.annotated(method, parsed.get(), session), exchange, downstream);
                }
            }
            case UpstreamReply.Events events -> {
                JsonValue id = request.get("id").orElseThrow();
                streams.relay(events, new BridgeStream.Flight(id, id, method, request.obj("params").orElse(JsonValue.Obj.EMPTY), session,
                        client, envelope, key.principal(), exchange), downstream);
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
     * Sends {@code logging/setLevel} with the request's log level on {@code session} first, when the upstream logs and
     * the session's level differs (the level is per session upstream, per request downstream).
     */
    private void setLevel(BridgePool.Pooled session, ModernEnvelope envelope, ClientContext client) {
        Optional<String> level = envelope.logLevel();
        if (level.isEmpty() || level.get().equals(session.logLevel().get()) || !session.logs()) {
            return;
        }
        String id = "mcp-relay-bridge-setlevel-" + setLevelIds.incrementAndGet();
        JsonValue.Obj request = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", JsonValue.str(id), "method",
                JsonValue.str("logging/setLevel"), "params", JsonValue.obj("level", JsonValue.str(level.get())));
        try (UpstreamReply reply = upstream.send(pool.call(session.session(client), request))) {
            Optional<JsonValue.Obj> answer = switch (reply) {
                case UpstreamReply.Answer a -> BridgePool.parse(a.message());
                case UpstreamReply.Events events -> BridgePool.answerIn(events.events(), id);
                default -> Optional.empty();
            };
            if (answer.flatMap(a -> a.obj("result")).isPresent()) {
                session.logLevel().set(level.get());
            } else {
                LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} did not take logging/setLevel {1}: {2}",
                        session.target().name(), level.get(), reply);
            }
        }
    }

    /** Answers with JSON, through the interceptors of {@code exchange} (as a JSON answer from an upstream would). */
    private void answer(JsonRpcPayload payload, JsonValue.Obj answer, Exchange exchange, DownstreamPort downstream) {
        answers.relay(new UpstreamReply.Answer(answer.toJson().getBytes(StandardCharsets.UTF_8), Optional.empty(), TransportEcho.NONE), payload,
                Optional.empty(), downstream, List.of(), clock.now(), UpstreamReconnect.NONE, exchange, List.of());
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
