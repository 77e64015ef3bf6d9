package io.mcprelay.domain.era;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a request's transport claims about its body, beside it (2026-07-28 routing headers over HTTP:
 * {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-{Name}}), as
 * the client sent the values (sentinel-encoded values not yet decoded). Nothing here is to be trusted
 * before {@link EraClassifier} matched it to the body.
 *
 * @param protocolVersion the version claimed for the request
 * @param method          the claimed JSON-RPC method
 * @param name            the claimed name (tool or prompt name, resource URI, task id)
 * @param params          the claimed tool arguments by header name suffix, lower case ({@code Mcp-Param-Region} → {@code region})
 */
public record RoutingClaims(Optional<String> protocolVersion, Optional<String> method, Optional<String> name, Map<String, String> params) {

    /** No claims at all (a transport without routing headers, e.g. stdio). */
    public static final RoutingClaims NONE = new RoutingClaims(Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    public RoutingClaims {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(name, "name");
        Map<String, String> lower = new TreeMap<>();
        params.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        params = Map.copyOf(lower);
    }

    /** Only a claimed protocol version (what a 2025-era request carries). */
    public static RoutingClaims ofVersion(Optional<String> protocolVersion) {
        return new RoutingClaims(protocolVersion, Optional.empty(), Optional.empty(), Map.of());
    }
}
