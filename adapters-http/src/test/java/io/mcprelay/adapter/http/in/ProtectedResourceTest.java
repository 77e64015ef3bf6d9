package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedResourceTest {

    @Test
    void theMetadataUrlPutsTheWellKnownPathBeforeTheResourcesPath() {
        assertThat(resource("https://mcp.example.com/mcp").metadataUrl())
                .isEqualTo(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"));
        assertThat(resource("http://127.0.0.1:8080/tools/mcp").metadataUrl())
                .isEqualTo(URI.create("http://127.0.0.1:8080/.well-known/oauth-protected-resource/tools/mcp"));
        assertThat(resource("https://mcp.example.com/").metadataUrl())
                .isEqualTo(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
    }

    @Test
    void aResourceIsAnAbsoluteUrlWithoutFragment() {
        assertThatThrownBy(() -> resource("/mcp")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resource("https://mcp.example.com/mcp#x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ProtectedResource resource(String uri) {
        return new ProtectedResource(URI.create(uri), List.of(URI.create("https://id.example.com")), List.of(), "");
    }
}
