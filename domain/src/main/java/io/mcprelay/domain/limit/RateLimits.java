package io.mcprelay.domain.limit;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured rate limits (all off by default) and the rule of which buckets a message draws from.
 *
 * <p>Only requests count: a notification or a response (the client answering the server) takes no
 * token, because refusing one would break the exchange it belongs to rather than slow the caller down.
 * A batch takes one token per request from each bucket. The buckets are checked in the order of
 * {@link #charges}: the caller's own first, so that a caller over its own limit is refused before it
 * draws from the shared buckets; then each tool's; then the global one. Tokens taken from an earlier
 * bucket stay taken when a later one refuses (no store can take from several buckets atomically).
 *
 * @param perPrincipal the bucket of each caller ({@link Caller}), if limited
 * @param perTool      the bucket of each named tool, shared by all callers ({@code tools/call} by
 *                     {@code params.name}); tools not named are not limited, so the number of buckets
 *                     is bounded by the configuration, whatever names clients send
 * @param global       the one bucket of every request, if limited
 * @param onOutage     what to do while the bucket store cannot be reached
 */
public record RateLimits(Optional<RateLimit> perPrincipal, Map<String, RateLimit> perTool, Optional<RateLimit> global,
                         OutagePolicy onOutage) {

    /** No limit at all: the default. */
    public static final RateLimits OFF = new RateLimits(Optional.empty(), Map.of(), Optional.empty(), OutagePolicy.OPEN);

    private static final String TOOLS_CALL = "tools/call";

    public RateLimits {
        Objects.requireNonNull(perPrincipal, "perPrincipal");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(onOutage, "onOutage");
        perTool = Map.copyOf(perTool);
        perTool.keySet().forEach(tool -> {
            if (tool.isBlank()) {
                throw new IllegalArgumentException("a tool limit names a tool");
            }
        });
    }

    /** {@code true} when no rate limit is configured: nothing to check, no store to ask. */
    public boolean isOff() {
        return perPrincipal.isEmpty() && perTool.isEmpty() && global.isEmpty();
    }

    /** The buckets {@code payload} from {@code caller} draws from, in the order to check them; empty if none. */
    public List<Charge> charges(Caller caller, JsonRpcPayload payload) {
        Objects.requireNonNull(caller, "caller");
        long requests = 0;
        Map<String, Long> perToolCalls = new LinkedHashMap<>();
        for (JsonRpcMessage message : payload.messages()) {
            if (message instanceof JsonRpcMessage.Request request) {
                requests++;
                if (TOOLS_CALL.equals(request.method())) {
                    request.facts().toolName().filter(perTool::containsKey).ifPresent(tool -> perToolCalls.merge(tool, 1L, Long::sum));
                }
            }
        }
        if (requests == 0) {
            return List.of();
        }
        List<Charge> charges = new ArrayList<>();
        long cost = requests;
        perPrincipal.ifPresent(limit -> charges.add(new Charge(LimitKind.PER_PRINCIPAL, "principal:" + caller.bucketKey(), limit, cost,
                Optional.empty())));
        perToolCalls.forEach((tool, calls) -> charges.add(new Charge(LimitKind.PER_TOOL, "tool:" + tool, perTool.get(tool), calls,
                Optional.of(tool))));
        global.ifPresent(limit -> charges.add(new Charge(LimitKind.GLOBAL, "global", limit, cost, Optional.empty())));
        return List.copyOf(charges);
    }
}
