package io.mcprelay.adapter.http.in;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves the Protected Resource Metadata document (RFC 9728 §3.2), which MCP clients read after a
 * 401 to learn which authorization server to ask and for which resource. Built once: the document
 * does not change while the relay runs.
 */
public final class ProtectedResourceMetadataEndpoint implements Handler {

    private final byte[] document;

    public ProtectedResourceMetadataEndpoint(ProtectedResource resource) {
        Objects.requireNonNull(resource, "resource");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("resource", resource.resource().toString());
        ArrayNode servers = root.putArray("authorization_servers");
        for (URI server : resource.authorizationServers()) {
            servers.add(server.toString());
        }
        root.putArray("bearer_methods_supported").add("header");
        if (!resource.scopesSupported().isEmpty()) {
            ArrayNode scopes = root.putArray("scopes_supported");
            resource.scopesSupported().forEach(scopes::add);
        }
        root.put("resource_name", "mcp-relay");
        this.document = root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "max-age=300");
        res.send(document);
    }
}
