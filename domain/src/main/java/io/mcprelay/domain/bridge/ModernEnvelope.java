package io.mcprelay.domain.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-request {@code _meta} envelope of MCP 2026-07-28: the reserved {@code io.modelcontextprotocol/*}
 * keys a modern request carries instead of a session (design note §1).
 *
 * @param protocolVersion    {@code io.modelcontextprotocol/protocolVersion}
 * @param clientCapabilities {@code io.modelcontextprotocol/clientCapabilities} (may be empty)
 * @param clientInfo         {@code io.modelcontextprotocol/clientInfo}, self-reported {@code {name, version}}
 * @param logLevel           {@code io.modelcontextprotocol/logLevel}; without it no {@code notifications/message} for the request
 */
public record ModernEnvelope(String protocolVersion, JsonValue.Obj clientCapabilities, Optional<JsonValue.Obj> clientInfo,
        Optional<String> logLevel) {

    /** The modern revision this bridge speaks. */
    public static final String MODERN_VERSION = "2026-07-28";
    /** Prefix of every reserved {@code _meta} key. */
    public static final String RESERVED_PREFIX = "io.modelcontextprotocol/";
    public static final String PROTOCOL_VERSION = RESERVED_PREFIX + "protocolVersion";
    public static final String CLIENT_CAPABILITIES = RESERVED_PREFIX + "clientCapabilities";
    public static final String CLIENT_INFO = RESERVED_PREFIX + "clientInfo";
    public static final String LOG_LEVEL = RESERVED_PREFIX + "logLevel";
    public static final String SERVER_INFO = RESERVED_PREFIX + "serverInfo";

    public ModernEnvelope {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(clientCapabilities, "clientCapabilities");
        Objects.requireNonNull(clientInfo, "clientInfo");
        Objects.requireNonNull(logLevel, "logLevel");
    }

    /** A request split into its envelope and the request without the reserved keys. */
    public record Stripped(JsonValue.Obj request, ModernEnvelope envelope) {
        public Stripped {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /**
     * Splits a modern JSON-RPC request (bridge b): the envelope, and the request with every reserved
     * {@code io.modelcontextprotocol/*} key removed from {@code params._meta} ({@code _meta} removed when
     * nothing else is left in it), so that a dual-era upstream does not read it as a modern request.
     *
     * @return empty if the request lacks the two required keys ({@code protocolVersion} as a string,
     *         {@code clientCapabilities} as an object): the caller answers -32602
     */
    public static Optional<Stripped> strip(JsonValue.Obj request) {
        JsonValue.Obj params = request.obj("params").orElse(JsonValue.Obj.EMPTY);
        JsonValue.Obj meta = params.obj("_meta").orElse(JsonValue.Obj.EMPTY);
        Optional<String> version = meta.str(PROTOCOL_VERSION);
        Optional<JsonValue.Obj> capabilities = meta.obj(CLIENT_CAPABILITIES);
        if (version.isEmpty() || capabilities.isEmpty()) {
            return Optional.empty();
        }
        ModernEnvelope envelope = new ModernEnvelope(version.get(), capabilities.get(), meta.obj(CLIENT_INFO), meta.str(LOG_LEVEL));
        Map<String, JsonValue> rest = new LinkedHashMap<>(meta.members());
        rest.keySet().removeIf(key -> key.startsWith(RESERVED_PREFIX));
        JsonValue.Obj newParams = rest.isEmpty() ? params.without("_meta") : params.with("_meta", new JsonValue.Obj(rest));
        JsonValue.Obj stripped = request.get("params").isPresent() ? request.with("params", newParams) : request;
        return Optional.of(new Stripped(stripped, envelope));
    }

    /**
     * {@code request} with this envelope in {@code params._meta} (bridge a): the reserved keys set (ours win over
     * any the request had), the request's other {@code _meta} keys kept.
     */
    public JsonValue.Obj applyTo(JsonValue.Obj request) {
        JsonValue.Obj params = request.obj("params").orElse(JsonValue.Obj.EMPTY);
        JsonValue.Obj meta = params.obj("_meta").orElse(JsonValue.Obj.EMPTY)
                .with(PROTOCOL_VERSION, JsonValue.str(protocolVersion))
                .with(CLIENT_CAPABILITIES, clientCapabilities);
        if (clientInfo.isPresent()) {
            meta = meta.with(CLIENT_INFO, clientInfo.get());
        }
        if (logLevel.isPresent()) {
            meta = meta.with(LOG_LEVEL, JsonValue.str(logLevel.get()));
        }
        return request.with("params", params.with("_meta", meta));
    }

    /** This envelope with {@code logLevel} (a legacy client's {@code logging/setLevel}, bridge a). */
    public ModernEnvelope withLogLevel(String level) {
        return new ModernEnvelope(protocolVersion, clientCapabilities, clientInfo, Optional.of(level));
    }
}
