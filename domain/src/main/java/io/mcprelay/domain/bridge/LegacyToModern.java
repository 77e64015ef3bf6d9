package io.mcprelay.domain.bridge;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Bridge (a): a 2025-era client in front of an upstream that serves only 2026-07-28. mcp-relay answers
 * {@code initialize} itself from the upstream's {@code server/discover} result, keeps what the client
 * declared in its proxy session, and sends each request as a modern request carrying that envelope and the
 * routing headers (design note §6, "Bridge (a)"; {@link RoutingHeaders} derives the headers).
 */
public final class LegacyToModern {

    /** The legacy revisions mcp-relay answers {@code initialize} with, newest first. */
    public static final List<String> LEGACY_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    /**
     * Server capabilities and the first legacy revision that has each; a capability not listed here is
     * modern-only (e.g. {@code extensions}) and dropped for every legacy client. {@code experimental} exists in all.
     */
    private static final Map<String, String> CAPABILITY_SINCE = Map.of(
            "experimental", "2024-11-05",
            "logging", "2024-11-05",
            "prompts", "2024-11-05",
            "resources", "2024-11-05",
            "tools", "2024-11-05",
            "completions", "2025-03-26",
            "tasks", "2025-11-25");

    /** The result fields 2025 revisions do not have; dropped from every result sent to a legacy client. */
    private static final String[] MODERN_ONLY_RESULT_FIELDS = {"resultType", "ttlMs", "cacheScope"};

    private LegacyToModern() {
    }

    /** The legacy version to answer a client's {@code initialize} with: the one it asked for if served, else the newest. */
    public static String negotiatedVersion(String requested) {
        return LEGACY_VERSIONS.contains(requested) ? requested : LEGACY_VERSIONS.getFirst();
    }

    /**
     * The {@code InitializeResult} mcp-relay answers a legacy client's {@code initialize} with, from the upstream's
     * {@code server/discover} result: the negotiated legacy version, the capabilities that revision has, the
     * upstream's {@code serverInfo} (from {@code _meta}; {@code fallbackServerInfo} if it sent none, since
     * {@code InitializeResult} requires it) and {@code instructions}.
     */
    public static JsonValue.Obj initializeResult(JsonValue.Obj discoverResult, String requestedVersion, JsonValue.Obj fallbackServerInfo) {
        String version = negotiatedVersion(requestedVersion);
        JsonValue.Obj capabilities = JsonValue.Obj.EMPTY;
        for (Map.Entry<String, JsonValue> capability : discoverResult.obj("capabilities").orElse(JsonValue.Obj.EMPTY).members().entrySet()) {
            String since = CAPABILITY_SINCE.get(capability.getKey());
            if (since != null && since.compareTo(version) <= 0) { // ISO dates compare as text
                capabilities = capabilities.with(capability.getKey(), capability.getValue());
            }
        }
        JsonValue.Obj serverInfo = discoverResult.obj("_meta").flatMap(m -> m.obj(ModernEnvelope.SERVER_INFO)).orElse(fallbackServerInfo);
        JsonValue.Obj result = JsonValue.obj("protocolVersion", JsonValue.str(version), "capabilities", capabilities, "serverInfo", serverInfo);
        Optional<String> instructions = discoverResult.str("instructions");
        return instructions.isPresent() ? result.with("instructions", JsonValue.str(instructions.get())) : result;
    }

    /**
     * The envelope a proxy session holds for its legacy client, from the client's {@code initialize} params:
     * its capabilities and client info, the modern protocol version, no log level until {@code logging/setLevel}.
     */
    public static ModernEnvelope sessionEnvelope(JsonValue.Obj initializeParams) {
        return new ModernEnvelope(ModernEnvelope.MODERN_VERSION,
                initializeParams.obj("capabilities").orElse(JsonValue.Obj.EMPTY),
                initializeParams.obj("clientInfo"), Optional.empty());
    }

    /** A modern result as a legacy client expects it: without {@code resultType}, {@code ttlMs} and {@code cacheScope}. */
    public static JsonValue.Obj forLegacyClient(JsonValue.Obj modernResult) {
        return modernResult.without(MODERN_ONLY_RESULT_FIELDS);
    }

    /** {@code true} for the request methods a 2026-07-28 upstream no longer has, which bridge (a) answers itself. */
    public static boolean answeredLocally(String method) {
        return switch (Objects.requireNonNull(method, "method")) {
            case "initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe" -> true;
            default -> false;
        };
    }
}
