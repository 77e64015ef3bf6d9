package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Bridge (a)'s {@code server/discover} of each modern-only upstream, from which it answers {@code initialize}:
 * asked with the client's envelope, kept per upstream for the result's {@code ttlMs} (at most {@link #MAX_TTL};
 * {@code 0}, the SDK's default, keeps nothing).
 */
final class BridgeDiscovery {

    static final Duration MAX_TTL = Duration.ofMinutes(10);
    static final String DISCOVER = "server/discover";
    /** Events of a streamed answer read before giving up on finding its result. */
    private static final int MAX_EVENTS = 16;

    /** What the upstream said. */
    sealed interface Found {
        record Result(JsonValue.Obj result) implements Found {
        }

        record Failed(String why) implements Found {
        }
    }

    private record Cached(JsonValue.Obj result, Instant until) {
    }

    private final ClockPort clock;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

    BridgeDiscovery(ClockPort clock) {
        this.clock = clock;
    }

    /** The discover result of {@code target}, cached or asked now through {@code send}. */
    Found discover(UpstreamTarget target, ModernEnvelope envelope, Function<JsonValue.Obj, UpstreamReply> send) {
        Instant now = clock.now();
        Cached cached = cache.get(target.name());
        if (cached != null && now.isBefore(cached.until())) {
            return new Found.Result(cached.result());
        }
        JsonValue.Obj request = envelope.applyTo(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", JsonValue.str("mcp-relay-bridge-discover"),
                "method", JsonValue.str(DISCOVER)));
        UpstreamReply reply = send.apply(request);
        Optional<JsonValue.Obj> result = resultOf(reply);
        if (result.isEmpty()) {
            return new Found.Failed(describe(reply));
        }
        long ttl = result.get().get("ttlMs").filter(JsonValue.Num.class::isInstance).map(n -> ((JsonValue.Num) n).value().longValue()).orElse(0L);
        if (ttl > 0) {
            Duration kept = Duration.ofMillis(ttl).compareTo(MAX_TTL) > 0 ? MAX_TTL : Duration.ofMillis(ttl);
            cache.put(target.name(), new Cached(result.get(), now.plus(kept)));
        }
        return new Found.Result(result.get());
    }

    /** The {@code result} of the answer in {@code reply} (JSON, or the first response on a stream); closes the reply. */
    static Optional<JsonValue.Obj> resultOf(UpstreamReply reply) {
        try (reply) {
            return switch (reply) {
                case UpstreamReply.Answer answer -> ModernUpstreamBridge.parse(answer.message()).flatMap(m -> m.obj("result"));
                case UpstreamReply.Events events -> firstResult(events.events());
                default -> Optional.empty();
            };
        }
    }

    private static Optional<JsonValue.Obj> firstResult(UpstreamEvents events) {
        for (int i = 0; i < MAX_EVENTS; i++) {
            if (!(events.next() instanceof UpstreamEvents.Read.Event event)) {
                return Optional.empty();
            }
            String data = event.event().data();
            if (data.isEmpty()) {
                continue;
            }
            try {
                JsonValue.Obj message = JsonText.parseObject(data);
                if (message.get("method").isEmpty()) {
                    return message.obj("result");
                }
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String describe(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Refused refused -> refused.error().map(e -> new String(e, StandardCharsets.UTF_8)).orElse(refused.detail());
            case UpstreamReply.Unreachable unreachable -> unreachable.reason().orElse("it cannot be reached ("
                    + unreachable.cause().name().toLowerCase(java.util.Locale.ROOT) + ")");
            default -> "no discover result in its answer";
        };
    }
}
