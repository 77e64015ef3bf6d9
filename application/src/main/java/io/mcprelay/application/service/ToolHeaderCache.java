package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.bridge.RoutingHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Bridge (a)'s knowledge of the tools' {@code x-mcp-header} declarations, learnt from the {@code tools/list} results
 * that pass through it, per (upstream, principal) since a list may vary by authorization: which {@code Mcp-Param-*}
 * headers a {@code tools/call} must carry. Bounded: at most {@link #MAX_KEYS} keys (the oldest is dropped) and
 * {@link #MAX_TOOLS} tools per key.
 */
final class ToolHeaderCache {

    static final int MAX_KEYS = 256;
    static final int MAX_TOOLS = 1024;
    static final int MAX_LISTED_PAGES = 16;

    private final ConcurrentMap<String, Map<String, List<RoutingHeaders.HeaderProperty>>> byKey = new ConcurrentHashMap<>();

    /** The header declarations of tool {@code name} for {@code key}; none when unknown. */
    List<RoutingHeaders.HeaderProperty> headersOf(String key, String name) {
        return byKey.getOrDefault(key, Map.of()).getOrDefault(name, List.of());
    }

    /** Whether tool {@code name} was listed for {@code key}. */
    boolean knows(String key, String name) {
        return byKey.getOrDefault(key, Map.of()).containsKey(name);
    }

    /**
     * Learns the tools of one {@code tools/list} result for {@code key} (a first page replaces what was known, a
     * later one adds to it), and returns the result without the tools whose schema breaks an {@code x-mcp-header}
     * rule (an HTTP client MUST drop them).
     */
    JsonValue.Obj learn(String key, JsonValue.Obj result, boolean firstPage) {
        if (!(result.get("tools").orElse(JsonValue.NULL) instanceof JsonValue.Arr tools)) {
            return result;
        }
        Map<String, List<RoutingHeaders.HeaderProperty>> learnt = new LinkedHashMap<>(firstPage ? Map.of() : byKey.getOrDefault(key, Map.of()));
        List<JsonValue> kept = new ArrayList<>();
        for (JsonValue tool : tools.elements()) {
            Optional<String> name = tool instanceof JsonValue.Obj obj ? obj.str("name") : Optional.empty();
            JsonValue.Obj schema = tool instanceof JsonValue.Obj obj ? obj.obj("inputSchema").orElse(JsonValue.Obj.EMPTY) : JsonValue.Obj.EMPTY;
            if (RoutingHeaders.headerProperties(schema) instanceof RoutingHeaders.SchemaHeaders.Valid valid) {
                kept.add(tool);
                if (name.isPresent() && learnt.size() < MAX_TOOLS) {
                    learnt.put(name.get(), valid.properties());
                }
            }
        }
        if (byKey.size() >= MAX_KEYS && !byKey.containsKey(key)) {
            byKey.keySet().stream().findFirst().ifPresent(byKey::remove);
        }
        byKey.put(key, Map.copyOf(learnt));
        return kept.size() == tools.elements().size() ? result : result.with("tools", new JsonValue.Arr(kept));
    }

    /** Whether {@code reply} is a {@code -32020} (header mismatch) error: the declarations may have changed. */
    static boolean headerMismatch(UpstreamReply reply) {
        Optional<byte[]> error = switch (reply) {
            case UpstreamReply.Refused refused -> refused.error();
            case UpstreamReply.Answer answer -> Optional.of(answer.message());
            default -> Optional.empty();
        };
        return error.flatMap(ModernUpstreamBridge::parse).flatMap(e -> e.obj("error")).flatMap(e -> e.get("code"))
                .filter(JsonValue.Num.of(JsonRpcErrorCodes.HEADER_MISMATCH)::equals).isPresent();
    }

    /** Lists the tools again for {@code key} through {@code send} (every page, at most {@link #MAX_LISTED_PAGES}), learning them. */
    void relist(String key, ModernEnvelope envelope, Function<JsonValue.Obj, UpstreamReply> send) {
        Optional<String> cursor = Optional.empty();
        for (int page = 0; page < MAX_LISTED_PAGES; page++) {
            JsonValue.Obj params = cursor.map(c -> JsonValue.obj("cursor", JsonValue.str(c))).orElse(JsonValue.Obj.EMPTY);
            JsonValue.Obj list = envelope.applyTo(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id",
                    JsonValue.str("mcp-relay-tools-" + page), "method", JsonValue.str("tools/list"), "params", params));
            Optional<JsonValue.Obj> result = BridgeDiscovery.resultOf(send.apply(list));
            if (result.isEmpty()) {
                return;
            }
            learn(key, result.get(), page == 0);
            cursor = result.get().str("nextCursor");
            if (cursor.isEmpty()) {
                return;
            }
        }
    }
}
