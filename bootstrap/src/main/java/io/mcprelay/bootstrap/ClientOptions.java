package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.in.ClientLimits;
import io.mcprelay.adapter.http.in.McpEndpointConfig;
import java.util.Objects;

/**
 * The limits on what clients may hold of the relay (docs/security.md): the connection deadlines and
 * cap ({@link ClientLimits}) and the memory all request bodies in flight may take together.
 */
record ClientOptions(ClientLimits limits, long maxBodyMemory) {

    ClientOptions {
        Objects.requireNonNull(limits, "limits");
        if (maxBodyMemory < 1) {
            throw new IllegalArgumentException("--max-body-memory: must be positive");
        }
    }

    /** The defaults, with the connection cap derived from this process's descriptor limit. */
    static ClientOptions defaults() {
        return new ClientOptions(ClientLimits.defaults(ClientLimits.maxDescriptors()), McpEndpointConfig.DEFAULT_MAX_BODY_MEMORY);
    }
}
