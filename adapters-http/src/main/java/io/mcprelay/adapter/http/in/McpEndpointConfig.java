package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.access.OriginPolicy;
import java.util.Objects;

/**
 * Settings of the MCP endpoint.
 *
 * @param maxBodyBytes largest POST body accepted; a larger one gets 413; defaults to 4 MiB
 * @param originPolicy which {@code Origin} and {@code Host} values are allowed
 * @param maxBodyMemory bytes all request bodies in flight may hold together; a body that would
 *                      need more gets 503 ({@link RequestBodies}); defaults to 64 MiB
 */
public record McpEndpointConfig(int maxBodyBytes, OriginPolicy originPolicy, long maxBodyMemory) {

    public static final int DEFAULT_MAX_BODY_BYTES = 4 << 20;
    public static final long DEFAULT_MAX_BODY_MEMORY = 64L << 20;

    public McpEndpointConfig {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (maxBodyMemory < 1) {
            throw new IllegalArgumentException("maxBodyMemory must be positive");
        }
        Objects.requireNonNull(originPolicy, "originPolicy");
    }

    /** With the default body memory budget. */
    public McpEndpointConfig(int maxBodyBytes, OriginPolicy originPolicy) {
        this(maxBodyBytes, originPolicy, DEFAULT_MAX_BODY_MEMORY);
    }
}
