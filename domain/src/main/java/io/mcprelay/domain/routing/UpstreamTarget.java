package io.mcprelay.domain.routing;

import java.net.URI;
import java.util.Objects;

/**
 * An upstream MCP server: a name unique among the configured upstreams, and its MCP endpoint
 * ({@code http} or {@code https}, e.g. {@code http://127.0.0.1:3001/mcp}).
 */
public record UpstreamTarget(String name, URI endpoint) {

    public UpstreamTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an upstream needs a name");
        }
        String scheme = endpoint.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("an upstream URL must be http:// or https://, not " + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("an upstream URL needs a host: " + endpoint);
        }
    }
}
