package io.mcprelay.domain.bridge;

import io.mcprelay.domain.session.UpstreamSessionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a proxy session of bridge (a) holds for its 2025-era client in front of a modern-only upstream (design note
 * §6, "Bridge (a)"): the capabilities and client info of its {@code initialize}, the log level of its last
 * {@code logging/setLevel}, the resource URIs it subscribed to. The negotiated version is the session's own.
 *
 * <p>Such a session has no upstream session (the upstream is stateless), so this state travels in the session's
 * upstream-session-id slot ({@link #slot()}), which every session store already keeps, updates atomically
 * ({@code bindUpstream}) and shares between instances: a bridged session is served by any instance. The slot
 * is {@link #PREFIX} and the state as Base64url JSON, at most {@link #MAX_SLOT} characters (the bound of an
 * upstream session id); it never leaves mcp-relay (neither the client nor the upstream sees it).
 *
 * @param capabilities  the client's {@code initialize} capabilities
 * @param clientInfo    the client's {@code clientInfo}, if it sent one
 * @param logLevel      the level of the client's last {@code logging/setLevel}, if any
 * @param subscriptions the resource URIs the client subscribed to ({@code resources/subscribe}), in order, no duplicates
 */
public record BridgedSession(JsonValue.Obj capabilities, Optional<JsonValue.Obj> clientInfo, Optional<String> logLevel,
        List<String> subscriptions) {

    /** How a slot holding bridge state starts: no upstream mints such an id (it is mcp-relay's own, never sent). */
    public static final String PREFIX = "mcp-relay-bridge-a:";
    /** The bound of the slot (that of an upstream session id). */
    public static final int MAX_SLOT = 1024;

    public BridgedSession {
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(clientInfo, "clientInfo");
        Objects.requireNonNull(logLevel, "logLevel");
        subscriptions = List.copyOf(new LinkedHashSet<>(subscriptions));
    }

    /** The state of a session just opened by {@code initialize} with {@code initializeParams}. */
    public static BridgedSession opened(JsonValue.Obj initializeParams) {
        return new BridgedSession(initializeParams.obj("capabilities").orElse(JsonValue.Obj.EMPTY), initializeParams.obj("clientInfo"),
                Optional.empty(), List.of());
    }

    /** The envelope every request of the session carries upstream: 2026-07-28, capabilities, client info, log level. */
    public ModernEnvelope envelope() {
        return new ModernEnvelope(ModernEnvelope.MODERN_VERSION, capabilities, clientInfo, logLevel);
    }

    /** This state with the log level {@code level}. */
    public BridgedSession withLogLevel(String level) {
        return new BridgedSession(capabilities, clientInfo, Optional.of(level), subscriptions);
    }

    /** This state subscribed ({@code subscribed}) or not to {@code uri}. */
    public BridgedSession withSubscription(String uri, boolean subscribed) {
        List<String> next = new ArrayList<>(subscriptions);
        next.remove(uri);
        if (subscribed) {
            next.add(uri);
        }
        return new BridgedSession(capabilities, clientInfo, logLevel, next);
    }

    /**
     * The slot holding this state, if it fits in {@link #MAX_SLOT} characters. A client's capabilities are
     * usually small; {@link #compact()} is the fallback for those that are not.
     */
    public Optional<UpstreamSessionId> slot() {
        String encoded = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(toJson().toJson().getBytes(StandardCharsets.UTF_8));
        return encoded.length() <= MAX_SLOT ? Optional.of(new UpstreamSessionId(encoded)) : Optional.empty();
    }

    /**
     * This state with less in it: each capability kept by name with an empty object as its value (except
     * {@code elicitation}, whose {@code form}/{@code url} members decide which requests the upstream may send),
     * the client info reduced to its name and version.
     */
    public BridgedSession compact() {
        JsonValue.Obj kept = JsonValue.Obj.EMPTY;
        for (Map.Entry<String, JsonValue> capability : capabilities.members().entrySet()) {
            JsonValue value = capability.getKey().equals("elicitation") && capability.getValue() instanceof JsonValue.Obj elicitation
                    ? onlyNames(elicitation) : JsonValue.Obj.EMPTY;
            kept = kept.with(capability.getKey(), value);
        }
        Optional<JsonValue.Obj> info = clientInfo.map(i -> {
            JsonValue.Obj small = JsonValue.Obj.EMPTY;
            for (String name : new String[] {"name", "version"}) {
                Optional<String> value = i.str(name).map(v -> v.length() > 64 ? v.substring(0, 64) : v);
                if (value.isPresent()) {
                    small = small.with(name, JsonValue.str(value.get()));
                }
            }
            return small;
        });
        return new BridgedSession(kept, info, logLevel, subscriptions);
    }

    private static JsonValue.Obj onlyNames(JsonValue.Obj obj) {
        JsonValue.Obj out = JsonValue.Obj.EMPTY;
        for (String name : obj.members().keySet()) {
            out = out.with(name, JsonValue.Obj.EMPTY);
        }
        return out;
    }

    /** Whether {@code slot} holds bridge state (the session is bridged) rather than an upstream's session id. */
    public static boolean isBridged(Optional<UpstreamSessionId> slot) {
        return slot.isPresent() && slot.get().value().startsWith(PREFIX);
    }

    /** The state a slot holds; empty when it is an upstream's session id, or not readable. */
    public static Optional<BridgedSession> fromSlot(Optional<UpstreamSessionId> slot) {
        if (!isBridged(slot)) {
            return Optional.empty();
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(slot.get().value().substring(PREFIX.length()));
            JsonValue.Obj state = JsonText.parseObject(new String(json, StandardCharsets.UTF_8));
            List<String> uris = new ArrayList<>();
            if (state.get("subscriptions").orElse(JsonValue.NULL) instanceof JsonValue.Arr array) {
                array.elements().stream().filter(JsonValue.Str.class::isInstance).forEach(e -> uris.add(((JsonValue.Str) e).value()));
            }
            return Optional.of(new BridgedSession(state.obj("capabilities").orElse(JsonValue.Obj.EMPTY), state.obj("clientInfo"),
                    state.str("logLevel"), uris));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private JsonValue.Obj toJson() {
        JsonValue.Obj state = JsonValue.obj("capabilities", capabilities);
        if (clientInfo.isPresent()) {
            state = state.with("clientInfo", clientInfo.get());
        }
        if (logLevel.isPresent()) {
            state = state.with("logLevel", JsonValue.str(logLevel.get()));
        }
        if (!subscriptions.isEmpty()) {
            state = state.with("subscriptions", new JsonValue.Arr(subscriptions.stream().map(s -> (JsonValue) JsonValue.str(s)).toList()));
        }
        return state;
    }
}
