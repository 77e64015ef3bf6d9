package io.mcprelay.adapter.http.in;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What the MCP endpoint tells clients about itself as an OAuth protected resource (RFC 9728): its
 * identifier, the authorization servers whose tokens it takes, the scopes it knows, and where the
 * metadata document is, which every 401 points at ({@code resource_metadata}).
 *
 * @param resource             the resource identifier (RFC 8707), e.g. {@code https://relay.example.com/mcp};
 *                             tokens must be issued for it
 * @param authorizationServers the issuer identifiers clients may get tokens from
 * @param scopesSupported      scopes to advertise (the required ones first); may be empty
 * @param requiredScopes       the scopes every request needs, space-separated, for an
 *                             {@code insufficient_scope} challenge; may be empty
 */
public record ProtectedResource(URI resource, List<URI> authorizationServers, List<String> scopesSupported, String requiredScopes) {

    /** The well-known path of the metadata document (RFC 9728 §3). */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    public ProtectedResource {
        Objects.requireNonNull(resource, "resource");
        if (!resource.isAbsolute() || resource.getHost() == null || resource.getFragment() != null) {
            throw new IllegalArgumentException("the resource is an absolute http(s) URI without fragment: " + resource);
        }
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = List.copyOf(scopesSupported);
        Objects.requireNonNull(requiredScopes, "requiredScopes");
    }

    /**
     * Where clients find the metadata: the well-known path inserted between the resource's host and
     * its path ({@code https://h/mcp} gives {@code https://h/.well-known/oauth-protected-resource/mcp}).
     */
    public URI metadataUrl() {
        String path = resource.getPath() == null || resource.getPath().equals("/") ? "" : resource.getPath();
        try {
            return new URI(resource.getScheme(), null, resource.getHost(), resource.getPort(), WELL_KNOWN + path, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("no metadata URL for " + resource, e);
        }
    }
}
