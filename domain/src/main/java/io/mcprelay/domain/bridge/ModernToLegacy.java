package io.mcprelay.domain.bridge;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Bridge (b): a 2026-07-28 client in front of an upstream that serves only the 2025 era. mcp-relay answers
 * {@code server/discover} from the upstream's {@code InitializeResult}, carries each modern request in an
 * upstream session (initialized with the request's envelope), and tags the legacy results as the modern
 * client expects (design note §6, "Bridge (b)").
 */
public final class ModernToLegacy {

    /** The results that MUST carry {@code ttlMs} and {@code cacheScope} in 2026-07-28. */
    public static final Set<String> CACHEABLE_METHODS = Set.of(
            "tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read");

    /** The 2025-era "resource not found" code, -32602 (Invalid params) in 2026-07-28. */
    public static final int LEGACY_RESOURCE_NOT_FOUND = -32002;
    public static final int INVALID_PARAMS = -32602;

    /** Capabilities of a legacy {@code InitializeResult} without a 2026-07-28 counterpart (2025-11-25 tasks moved to an extension). */
    private static final Set<String> LEGACY_ONLY_CAPABILITIES = Set.of("tasks");

    private ModernToLegacy() {
    }

    /**
     * The {@code server/discover} result for a modern client, from the upstream's {@code InitializeResult}:
     * {@code supportedVersions} (what mcp-relay's endpoint serves, e.g. {@code ["2026-07-28"]} plus the legacy
     * versions if it is dual-era), the upstream's {@code capabilities} (without the legacy-only ones) and
     * {@code instructions}, the conservative cache hints {@code ttlMs: 0} / {@code cacheScope: "private"}, and
     * the upstream's {@code serverInfo} under {@code _meta}.
     */
    public static JsonValue.Obj discoverResult(JsonValue.Obj initializeResult, List<String> supportedVersions) {
        if (supportedVersions.isEmpty()) {
            throw new IllegalArgumentException("a discover result names at least one version");
        }
        List<JsonValue> versions = new ArrayList<>();
        supportedVersions.forEach(v -> versions.add(JsonValue.str(v)));
        JsonValue.Obj capabilities = initializeResult.obj("capabilities").orElse(JsonValue.Obj.EMPTY)
                .without(LEGACY_ONLY_CAPABILITIES.toArray(String[]::new));
        JsonValue.Obj result = JsonValue.obj("supportedVersions", new JsonValue.Arr(versions), "capabilities", capabilities);
        if (initializeResult.str("instructions").isPresent()) {
            result = result.with("instructions", initializeResult.get("instructions").orElseThrow());
        }
        result = result.with("ttlMs", JsonValue.Num.of(0)).with("cacheScope", JsonValue.str("private"));
        if (initializeResult.obj("serverInfo").isPresent()) {
            result = result.with("_meta", JsonValue.obj(ModernEnvelope.SERVER_INFO, initializeResult.obj("serverInfo").orElseThrow()));
        }
        return result;
    }

    /**
     * The {@code params} of the upstream {@code initialize} for a modern request's envelope: the legacy
     * {@code protocolVersion} to ask for, the envelope's client capabilities (without {@code extensions},
     * which 2025 revisions lack) and client info ({@code fallbackClientInfo} when the request carried none,
     * since {@code initialize} requires it).
     */
    public static JsonValue.Obj initializeParams(ModernEnvelope envelope, String legacyVersion, JsonValue.Obj fallbackClientInfo) {
        Objects.requireNonNull(legacyVersion, "legacyVersion");
        return JsonValue.obj(
                "protocolVersion", JsonValue.str(legacyVersion),
                "capabilities", envelope.clientCapabilities().without("extensions"),
                "clientInfo", envelope.clientInfo().orElse(fallbackClientInfo));
    }

    /**
     * A legacy result as a modern client expects it: {@code resultType: "complete"} (unless the upstream set one),
     * {@code ttlMs: 0} and {@code cacheScope: "private"} on the five cacheable results (unless present), and the
     * upstream's {@code serverInfo} under {@code _meta} (other {@code _meta} keys kept).
     */
    public static JsonValue.Obj annotateResult(String method, JsonValue.Obj legacyResult, JsonValue.Obj serverInfo) {
        JsonValue.Obj result = legacyResult;
        if (result.get("resultType").isEmpty()) {
            result = result.with("resultType", JsonValue.str("complete"));
        }
        if (CACHEABLE_METHODS.contains(method)) {
            if (result.get("ttlMs").isEmpty()) {
                result = result.with("ttlMs", JsonValue.Num.of(0));
            }
            if (result.get("cacheScope").isEmpty()) {
                result = result.with("cacheScope", JsonValue.str("private"));
            }
        }
        JsonValue.Obj meta = result.obj("_meta").orElse(JsonValue.Obj.EMPTY).with(ModernEnvelope.SERVER_INFO, serverInfo);
        return result.with("_meta", meta);
    }

    /**
     * Whether a value of the client's context named {@code name} is one of the 2026-07-28 routing headers
     * ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-*}, any case): they
     * describe the client's modern request, not the legacy messages bridge (b) sends in its session, and a dual-era
     * upstream refuses an {@code initialize} under a modern version header.
     */
    public static boolean isModernRouting(String name) {
        return name.equalsIgnoreCase(RoutingHeaders.PROTOCOL_VERSION) || name.equalsIgnoreCase(RoutingHeaders.METHOD)
                || name.equalsIgnoreCase(RoutingHeaders.NAME)
                || name.regionMatches(true, 0, RoutingHeaders.PARAM_PREFIX, 0, RoutingHeaders.PARAM_PREFIX.length());
    }

    /** A legacy JSON-RPC error object as a modern client expects it: -32002 (resource not found) becomes -32602. */
    public static JsonValue.Obj annotateError(JsonValue.Obj legacyError) {
        boolean notFound = legacyError.get("code").filter(JsonValue.Num.class::isInstance)
                .map(code -> ((JsonValue.Num) code).value().compareTo(BigDecimal.valueOf(LEGACY_RESOURCE_NOT_FOUND)) == 0)
                .orElse(false);
        return notFound ? legacyError.with("code", JsonValue.Num.of(INVALID_PARAMS)) : legacyError;
    }

    /**
     * The key under which bridge (b) pools upstream sessions: the upstream, the principal, and the client
     * capability set (in canonical JSON, so equal sets give equal keys). Capabilities belong in the key because a
     * legacy server may ask for something only the capabilities declared at {@code initialize} allow, which the
     * modern request that is being carried must have declared too.
     */
    public record PoolKey(String upstream, String principal, String capabilities) {
        public PoolKey {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(capabilities, "capabilities");
        }

        /** The key for a request of {@code principal} to {@code upstream} with {@code envelope}. */
        public static PoolKey of(String upstream, String principal, ModernEnvelope envelope) {
            return new PoolKey(upstream, principal, JsonText.write(envelope.clientCapabilities(), true));
        }
    }
}
