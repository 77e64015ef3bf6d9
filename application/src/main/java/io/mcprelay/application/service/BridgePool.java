package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The upstream sessions bridge (b) carries modern requests in, pooled per {@link ModernToLegacy.PoolKey}
 * (upstream, principal, client capabilities). A session carries one request at a time (two clients' request ids
 * could collide in one session), so a request leases one, and gives it back when its answer is complete, or
 * {@link #discard discards} it when the upstream lost it. Bounded per key and per upstream: past a bound, a request
 * gets no session ({@link Lease.Full}) rather than waiting. A session idle for {@code idleTimeout} is ended
 * upstream ({@code DELETE}) and forgotten; the most recently used idle session is leased first, so the others can age.
 * At this instance's stop every session is ended the same way: the idle ones at once, the leased ones as they come back.
 */
final class BridgePool {

    private static final System.Logger LOG = System.getLogger(BridgePool.class.getName());
    /** The legacy revision the bridge asks for at {@code initialize}. */
    static final ProtocolVersion ASKED_VERSION = ProtocolVersion.V2025_11_25;
    private static final JsonValue.Obj FALLBACK_CLIENT_INFO = JsonValue.obj("name", JsonValue.str("mcp-relay-bridge"),
            "version", JsonValue.str("1"));
    private static final int MAX_INITIALIZE_EVENTS = 32;

    private final UpstreamPort upstream;
    private final MessageCodecPort codec;
    private final int maxPerKey;
    private final int maxPerUpstream;
    private final ClockPort clock;
    private final Duration idleTimeout;
    private final BiConsumer<Runnable, Duration> schedule;
    private final RelayMetricsPort metrics;
    private final AtomicBoolean sweepPending = new AtomicBoolean();
    private final Map<ModernToLegacy.PoolKey, Deque<Idle>> idle = new HashMap<>();
    private final Map<ModernToLegacy.PoolKey, Integer> perKey = new HashMap<>();
    private final Map<String, Integer> perUpstream = new HashMap<>();
    private final AtomicLong initializeIds = new AtomicLong();
    /** Set by {@link #stop}: a session given back is ended rather than kept. */
    private boolean stopping;

    private record Idle(Pooled session, Instant since) {
    }

    /** A pool whose idle sessions are never expired, measured by nothing (for tests). */
    BridgePool(UpstreamPort upstream, MessageCodecPort codec, int maxPerKey, int maxPerUpstream) {
        this(upstream, codec, maxPerKey, maxPerUpstream, Instant::now, Duration.ofDays(1), (task, wait) -> { }, RelayMetricsPort.NONE);
    }

    /**
     * @param idleTimeout how long a session may sit idle before it is ended upstream
     * @param schedule    runs a task after a delay, off the caller's thread (the idle sweep)
     */
    BridgePool(UpstreamPort upstream, MessageCodecPort codec, int maxPerKey, int maxPerUpstream, ClockPort clock, Duration idleTimeout,
               BiConsumer<Runnable, Duration> schedule, RelayMetricsPort metrics) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.codec = Objects.requireNonNull(codec, "codec");
        if (maxPerKey < 1 || maxPerUpstream < 1) {
            throw new IllegalArgumentException("the bridge's pool bounds must be at least 1");
        }
        this.maxPerKey = maxPerKey;
        this.maxPerUpstream = maxPerUpstream;
    }

    /**
     * An upstream session held by the bridge: its ids, negotiated version and {@code InitializeResult}, and the log
     * level last set on it with {@code logging/setLevel} (null until one is).
     */
    record Pooled(ModernToLegacy.PoolKey key, UpstreamTarget target, Optional<UpstreamSessionId> id, ProtocolVersion version,
                  JsonValue.Obj initializeResult, AtomicReference<String> logLevel) {

        /** The session as the upstream port needs it, for a request bringing {@code client}. */
        UpstreamSession session(ClientContext client) {
            return UpstreamSession.established(target, id, version, client);
        }

        JsonValue.Obj serverInfo() {
            return initializeResult.obj("serverInfo").orElse(JsonValue.Obj.EMPTY);
        }

        /** Whether the upstream offered the {@code logging} capability at {@code initialize}. */
        boolean logs() {
            return initializeResult.obj("capabilities").flatMap(c -> c.get("logging")).isPresent();
        }
    }

    /** What a lease came to. */
    sealed interface Lease {
        /** A session, now the caller's until it gives it back or discards it. */
        record Taken(Pooled session) implements Lease {
        }

        /** The pool's bound for the key or the upstream is reached. */
        record Full(String why) implements Lease {
        }

        /** The upstream would not open a session: {@code reply} is its answer to {@code initialize}, to relay. */
        record Refused(UpstreamReply reply, String why) implements Lease {
        }
    }

    /** An idle session for {@code key}, or a new one opened with {@code envelope}'s client info and capabilities. */
    Lease lease(ModernToLegacy.PoolKey key, UpstreamTarget target, ModernEnvelope envelope, ClientContext client) {
        synchronized (this) {
            Deque<Idle> sessions = idle.get(key);
            if (sessions != null && !sessions.isEmpty()) {
                Pooled taken = sessions.pollLast().session();
                if (sessions.isEmpty()) {
                    idle.remove(key);
                }
                return new Lease.Taken(taken);
            }
            if (perKey.getOrDefault(key, 0) >= maxPerKey) {
                return new Lease.Full("the bridge already holds " + maxPerKey + " upstream sessions for this principal and capability set,"
                        + " all busy");
            }
            if (perUpstream.getOrDefault(target.name(), 0) >= maxPerUpstream) {
                return new Lease.Full("the bridge already holds " + maxPerUpstream + " sessions on upstream " + target.name() + ", all busy");
            }
            perKey.merge(key, 1, Integer::sum);
            perUpstream.merge(target.name(), 1, Integer::sum);
        }
        Lease opened = open(key, target, envelope, client);
        if (!(opened instanceof Lease.Taken)) {
            release(key);
        }
        return opened;
    }

    /** Gives a leased session back for the next request of its key. */
    void giveBack(Pooled session) {
        boolean kept;
        synchronized (this) {
            kept = !stopping;
            if (kept) {
                idle.computeIfAbsent(session.key(), k -> new ArrayDeque<>()).addLast(new Idle(session, clock.now()));
            }
        }
        if (!kept) {
            end(session, "stopped");
            return;
        }
        sweepIn(idleTimeout);
    }

    /** Forgets a leased session the upstream lost (or that must not be reused); ends it upstream if {@code end}. */
    void discard(Pooled session, boolean end) {
        release(session.key());
        metrics.bridgeSessionClosed(end ? "ended" : "lost");
        if (end) {
            upstream.end(session.session(ClientContext.NONE)).close();
        }
    }

    /** Ends and forgets every session idle for {@code idleTimeout} or longer; runs again when the next one will be due. */
    void expireIdle() {
        sweepPending.set(false); // first: a session given back during this sweep schedules the next one
        Instant now = clock.now();
        List<Pooled> expired = new ArrayList<>();
        Instant oldest = null;
        synchronized (this) {
            for (Deque<Idle> sessions : idle.values()) {
                for (Idle i : sessions) {
                    if (!i.since().plus(idleTimeout).isAfter(now)) {
                        expired.add(i.session());
                    } else if (oldest == null || i.since().isBefore(oldest)) {
                        oldest = i.since();
                    }
                }
                sessions.removeIf(i -> expired.contains(i.session()));
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        for (Pooled session : expired) {
            LOG.log(System.Logger.Level.DEBUG, "bridge: ending an upstream session on {0} idle for {1}", session.target().name(), idleTimeout);
            end(session, "idle");
        }
        if (oldest != null) {
            sweepIn(Duration.between(now, oldest.plus(idleTimeout)));
        }
    }

    /**
     * Takes every idle session out for the caller to {@link #end} (this instance stops); a session leased now is
     * ended when it comes back.
     */
    List<Pooled> stop() {
        List<Pooled> all = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            idle.values().forEach(sessions -> sessions.forEach(i -> all.add(i.session())));
            idle.clear();
        }
        return all;
    }

    /** Forgets {@code session} and ends it upstream ({@code DELETE}); {@code why} is the metrics' reason. */
    void end(Pooled session, String why) {
        release(session.key());
        metrics.bridgeSessionClosed(why);
        upstream.end(session.session(ClientContext.NONE)).close();
    }

    private void sweepIn(Duration wait) {
        if (sweepPending.compareAndSet(false, true)) {
            schedule.accept(this::expireIdle, wait);
        }
    }

    /** Sessions idle now, in all. */
    synchronized int idle() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    /** Sessions held for {@code key} (leased or idle), for tests. */
    synchronized int held(ModernToLegacy.PoolKey key) {
        return perKey.getOrDefault(key, 0);
    }

    private synchronized void release(ModernToLegacy.PoolKey key) {
        perKey.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        perUpstream.computeIfPresent(key.upstream(), (k, n) -> n <= 1 ? null : n - 1);
    }

    private Lease open(ModernToLegacy.PoolKey key, UpstreamTarget target, ModernEnvelope envelope, ClientContext client) {
        String id = "mcp-relay-bridge-initialize-" + initializeIds.incrementAndGet();
        JsonValue.Obj initialize = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", JsonValue.str(id), "method", JsonValue.str("initialize"),
                "params", ModernToLegacy.initializeParams(envelope, ASKED_VERSION.value(), FALLBACK_CLIENT_INFO));
        UpstreamSession opening = UpstreamSession.opening(target, client);
        UpstreamReply reply = upstream.send(call(opening, initialize));
        Optional<JsonValue.Obj> answer;
        Optional<UpstreamSessionId> sessionId;
        switch (reply) {
            case UpstreamReply.Answer a -> {
                answer = parse(a.message());
                sessionId = a.session();
            }
            case UpstreamReply.Events events -> {
                try (events) {
                    answer = answerIn(events.events(), id);
                    sessionId = events.session();
                }
            }
            default -> {
                return new Lease.Refused(reply, "the upstream did not open a session");
            }
        }
        Optional<JsonValue.Obj> result = answer.filter(a -> a.get("id").equals(Optional.of(JsonValue.str(id)))).flatMap(a -> a.obj("result"));
        Optional<ProtocolVersion> version = result.flatMap(r -> r.str("protocolVersion")).flatMap(ProtocolVersion::supported);
        if (result.isEmpty() || version.isEmpty()) {
            String why = answer.flatMap(a -> a.obj("error")).map(e -> "the upstream refused initialize: " + e.toJson())
                    .orElse("the upstream's initialize answer is unusable (no result with a supported protocolVersion)");
            return new Lease.Refused(new UpstreamReply.Refused(Optional.empty(), why, answer.flatMap(a -> a.obj("error")).isEmpty(),
                    io.mcprelay.application.port.out.upstream.TransportEcho.NONE), why);
        }
        Pooled session = new Pooled(key, target, sessionId, version.get(), result.get(), new AtomicReference<>());
        JsonValue.Obj initialized = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "method", JsonValue.str("notifications/initialized"));
        try (UpstreamReply ack = upstream.send(call(session.session(client), initialized))) {
            if (!(ack instanceof UpstreamReply.Accepted)) {
                LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} answered notifications/initialized with {1}", target.name(), ack);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "bridge: opened an upstream session on {0} ({1})", target.name(), version.get().value());
        metrics.bridgeSessionOpened();
        return new Lease.Taken(session);
    }

    /** The answer to request {@code id} among the first events of {@code events}, empty if it is not there. */
    static Optional<JsonValue.Obj> answerIn(UpstreamEvents events, String id) {
        for (int i = 0; i < MAX_INITIALIZE_EVENTS; i++) {
            if (!(events.next() instanceof UpstreamEvents.Read.Event e)) {
                return Optional.empty();
            }
            Optional<JsonValue.Obj> message = parse(e.event().toSseEvent().data().getBytes(StandardCharsets.UTF_8));
            if (message.isPresent() && message.get().get("id").equals(Optional.of(JsonValue.str(id)))) {
                return message;
            }
        }
        return Optional.empty();
    }

    /** A call carrying {@code message} (valid JSON-RPC by construction) in {@code session}. */
    UpstreamCall call(UpstreamSession session, JsonValue.Obj message) {
        byte[] bytes = message.toJson().getBytes(StandardCharsets.UTF_8);
        if (!(codec.decode(bytes) instanceof DecodedPayload.Decoded decoded)) {
            throw new IllegalStateException("the bridge built an invalid JSON-RPC message: " + message.toJson());
        }
        JsonRpcPayload payload = decoded.payload();
        return new UpstreamCall(session, payload, bytes);
    }

    /** {@code bytes} as a JSON object, empty if they are not one. */
    static Optional<JsonValue.Obj> parse(byte[] bytes) {
        try {
            return Optional.of(JsonText.parseObject(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException notAnObject) {
            return Optional.empty();
        }
    }
}
