package io.mcprelay.domain.routing;

import java.net.URI;
import java.util.Objects;

/**
 * An upstream MCP server: a name unique among the configured upstreams, and the transport it is
 * reached by (an HTTP endpoint, or a program to run). The use cases never look into the transport:
 * the composition root hands each target to the adapter registered for its {@link TransportKind}.
 */
public record UpstreamTarget(String name, UpstreamTransport transport) {

    public UpstreamTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an upstream needs a name");
        }
    }

    /** An upstream reached over MCP Streamable HTTP at {@code endpoint} ({@code http} or {@code https}). */
    public UpstreamTarget(String name, URI endpoint) {
        this(name, new UpstreamTransport.Http(endpoint));
    }

    public TransportKind kind() {
        return transport.kind();
    }

    /** For people: the URL, or the command line. */
    public String address() {
        return transport.address();
    }
}
