package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.RequestStateSealer;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.limit.Caller;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;

/**
 * Relays 2026-07-28 (modern) requests, which carry their version and capabilities themselves: no
 * session is looked up, required or issued, and the body and every routing value travel upstream as
 * the client sent them (their match to the body was checked before: {@code EraClassifier}).
 *
 * <p>Each request is placed on its own, over the upstreams that serve the modern era and its version
 * ({@link UpstreamCatalog#pickForModern}); one that cannot even be connected to is tried on the
 * next, as a new session's initialize is. The upstream's answer is passed on as it came: its status
 * and JSON-RPC errors ({@code -32020}, {@code -32022}, {@code -32601}, {@code -32602}) unchanged, a
 * "not found" never read as a lost session; its event stream relayed event by event without ids or
 * replay log ({@link ModernStream}), the client's leaving being the cancellation.
 *
 * <p>{@code subscriptions/listen} is long-lived: its answer takes a stream's place upstream (not a
 * request's), is read without a timeout, is counted as a standalone stream, and each client may hold
 * at most its share of them ({@code session-max-streams}).
 *
 * <p>When no upstream serves the modern era, the client gets {@code 400} with {@code -32022} and
 * the versions the upstreams do serve in {@code data.supported}: a dual-era client reads it as "not
 * this version" and falls back to {@code initialize}.
 */
final class ModernRelay {

    private static final System.Logger LOG = System.getLogger(ModernRelay.class.getName());
    static final String LISTEN = "subscriptions/listen";
    /** Bridge (b): upstream sessions held per (upstream, principal, capability set), and per upstream. */
    static final int BRIDGE_SESSIONS_PER_KEY = 8;
    static final int BRIDGE_SESSIONS_PER_UPSTREAM = 64;
    /** Bridge (b): how long a pooled upstream session may sit idle before it is ended upstream. */
    static final Duration BRIDGE_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final RelaySettings settings;
    private final StreamRelay streams;
    private final RateLimitGate limits;
    private final EraProbe probe;
    private final UpstreamAnswers answers;
    private final ConcurrentMap<ClientKey, Integer> listening = new ConcurrentHashMap<>();
    private final Optional<LegacyBridge> bridge;

    ModernRelay(UpstreamPort upstream, UpstreamCatalog upstreams, RelaySettings settings, StreamRelay streams, RateLimitGate limits,
                EraProbe probe) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.answers = new UpstreamAnswers(streams);
        BiConsumer<Runnable, Duration> later = (task, wait) -> streams.supervision().schedule(
                () -> Thread.ofVirtual().name("bridge-sweep").start(task), wait); // the sweeps talk to upstreams: off the timer thread
        this.bridge = settings.bridgeLegacy() ? Optional.of(new LegacyBridge(upstream, upstreams, streams,
                new BridgePool(upstream, streams.codec(), BRIDGE_SESSIONS_PER_KEY, BRIDGE_SESSIONS_PER_UPSTREAM, streams.clock(),
                        BRIDGE_IDLE_TIMEOUT, later, streams.metrics()), answers,
                new RequestStateSealer(randomKey(), streams.instanceId()), later))
                : Optional.empty();
    }

    /** Relays one modern message ({@code version} its claimed protocol version). */
    void relay(JsonRpcPayload payload, String version, RelayMessageCommand command, DownstreamPort downstream) {
        Caller caller = command.principal().map(p -> Caller.ofPrincipal(p.subject()))
                .orElseGet(() -> new Caller(Caller.Kind.SESSION, command.client().value()));
        Optional<Rejection> limited = limits.admit(caller, payload);
        if (limited.isPresent()) {
            downstream.reject(limited.get());
            return;
        }
        boolean listen = isListen(payload);
        if (listen && !takeListenSlot(command.client())) {
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.SESSION_BUSY, "Too Many Requests: this client"
                    + " already has " + settings.share().maxStreams() + " subscriptions/listen streams open, its share"
                    + " (session-max-streams); close one first")));
            return;
        }
        try {
            place(payload, version, command, listen, downstream);
        } finally {
            if (listen) {
                listening.computeIfPresent(command.client(), (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private void place(JsonRpcPayload payload, String version, RelayMessageCommand command, boolean listen, DownstreamPort downstream) {
        probe.probeUnjudged();
        ClientContext client = UpstreamSessions.clientContext(command.headers(), settings.headerPolicy());
        Set<String> tried = new LinkedHashSet<>();
        byte[] body = command.body();
        JsonRpcPayload forwarded = payload;
        List<String> answeredHere = List.of();
        boolean intercepted = false;
        int maxTries = upstreams.all().size();
        while (tried.size() < maxTries) {
            Optional<UpstreamTarget> target = upstreams.pickForModern(version, tried);
            if (target.isEmpty()) {
                break;
            }
            tried.add(target.get().name());
            Exchange exchange = streams.interception().isIdle() ? Exchange.NONE
                    : new Exchange(true, Optional.empty(), Optional.of(target.get().name()), Optional.of(payload), command.principal());
            if (!intercepted && streams.interception().intercepts(Direction.REQUEST)) {
                intercepted = true;
                Rewrite rewrite = streams.interception().intercept(Direction.REQUEST, exchange, payload, new String(body, StandardCharsets.UTF_8));
                if (rewrite.changed()) {
                    if (rewrite.forwarded().isEmpty()) {
                        answerHere(rewrite.answers(), downstream);
                        return;
                    }
                    forwarded = rewrite.forwarded().get();
                    body = rewrite.text().orElseThrow().getBytes(StandardCharsets.UTF_8);
                    answeredHere = rewrite.answers();
                }
            }
            Instant requestedAt = streams.clock().now();
            UpstreamReply reply = upstream.send(new UpstreamCall(UpstreamSession.stateless(target.get(), client), forwarded, body,
                    listen ? UpstreamPort.Budget.STREAM : UpstreamPort.Budget.REQUEST));
            if (reply instanceof UpstreamReply.Unreachable unreachable && unreachable.cause() == UpstreamReply.Unreachable.Cause.CONNECT) {
                LOG.log(System.Logger.Level.WARNING, "modern request: upstream {0} cannot be reached ({1}); trying the next one",
                        target.get().name(), unreachable.detail());
                continue;
            }
            if (reply instanceof UpstreamReply.Events events && UpstreamAnswers.singleRequestId(forwarded).isPresent()) {
                relayStream(events, UpstreamAnswers.singleRequestId(forwarded).get(), exchange, answeredHere, listen, requestedAt, downstream);
            } else {
                answers.relay(reply, forwarded, Optional.empty(), downstream, List.of(), requestedAt, UpstreamReconnect.NONE, exchange,
                        answeredHere);
            }
            return;
        }
        if (tried.isEmpty() && bridge.isPresent() && LegacyBridge.speaks(version)) {
            bridge.get().relay(payload, command.body(), command, client, downstream);
            return;
        }
        if (tried.isEmpty()) {
            List<String> supported = upstreams.versionsServed();
            downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.MODERN_VERSION_UNSUPPORTED,
                    "Unsupported protocol version: no upstream serves " + version + " (supported: " + String.join(", ", supported) + ")")
                    .withData("{\"supported\":[" + String.join(",", supported.stream().map(v -> "\"" + v + "\"").toList())
                            + "],\"requested\":\"" + jsonEscaped(version) + "\"}")));
            return;
        }
        downstream.reject(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.NO_UPSTREAM_AVAILABLE,
                "Service Unavailable: no upstream serving " + version + " can be reached; none of " + String.join(", ", tried) + " answered")));
    }

    private void relayStream(UpstreamReply.Events events, RequestId request, Exchange exchange, List<String> answeredHere, boolean listen,
                             Instant requestedAt, DownstreamPort downstream) {
        StreamKind kind = listen ? StreamKind.STANDALONE : StreamKind.POST_RESPONSE;
        try (events; DownstreamPort.Stream out = downstream.openEventStream(new DownstreamPort.Head(Optional.empty(), events.echo()))) {
            streams.metrics().streamOpened(kind);
            ModernStream stream = new ModernStream(events.events(), out, request, exchange, streams.interception(), streams.codec(),
                    streams.metrics(), streams.clock());
            try (StreamSupervisor supervisor = streams.supervision().supervise(stream, streams.settings(), "modern-" + request)) {
                stream.deliverAnsweredHere(answeredHere);
                stream.run(requestedAt);
            } finally {
                streams.metrics().streamClosed(kind);
            }
        }
    }

    private static void answerHere(List<String> answers, DownstreamPort downstream) {
        if (answers.isEmpty()) {
            downstream.accepted(DownstreamPort.Head.NONE);
        } else {
            downstream.answer(DownstreamPort.Head.NONE, answers.getFirst().getBytes(StandardCharsets.UTF_8));
        }
    }

    private boolean takeListenSlot(ClientKey client) {
        boolean[] taken = {false};
        listening.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= settings.share().maxStreams()) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Listen streams open now for {@code client}, for tests. */
    int listening(ClientKey client) {
        return listening.getOrDefault(client, 0);
    }

    static boolean isListen(JsonRpcPayload payload) {
        return payload instanceof JsonRpcPayload.Single single && single.message() instanceof JsonRpcMessage.Request request
                && LISTEN.equals(request.method());
    }

    /** Bridge (b), as this instance stops: ends upstream what it holds, within {@code within} ({@link LegacyBridge#stop}). */
    int stopBridge(Duration within) {
        return bridge.map(b -> b.stop(within)).orElse(0);
    }

    /**
     * The key this instance seals bridged calls' {@code requestState} with: random, drawn at start and never shared, since
     * a parked call lives in this JVM only (the token names the instance; a retry elsewhere is refused by name).
     */
    private static byte[] randomKey() {
        byte[] key = new byte[RequestStateSealer.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String jsonEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
