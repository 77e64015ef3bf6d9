package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.access.OriginPolicy;
import java.util.Objects;

/**
 * Settings of the MCP endpoint.
 *
 * @param maxBodyBytes largest POST body accepted; a larger one gets 413; defaults to 4 MiB
 * @param originPolicy which {@code Origin} and {@code Host} values are allowed
 */
public record McpEndpointConfig(int maxBodyBytes, OriginPolicy originPolicy) {

    public static final int DEFAULT_MAX_BODY_BYTES = 4 << 20;

    public McpEndpointConfig {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        Objects.requireNonNull(originPolicy, "originPolicy");
    }
}
