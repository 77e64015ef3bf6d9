package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3001/mcp", "https://mcp.example.com/mcp", "HTTP://localhost/", "http://[::1]:8080/mcp"})
    void acceptsHttpAndHttpsEndpoints(String url) {
        UpstreamTarget target = new UpstreamTarget("primary", URI.create(url));

        assertThat(target.endpoint()).isEqualTo(URI.create(url));
        assertThat(target.name()).isEqualTo("primary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/mcp", "ws://localhost/mcp", "file:///tmp/mcp", "/mcp", "localhost:3001"})
    void refusesOtherSchemes(String url) {
        assertThatThrownBy(() -> new UpstreamTarget("u", URI.create(url))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEndpointWithoutHost() {
        assertThatThrownBy(() -> new UpstreamTarget("u", URI.create("http:///mcp"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamTarget("u", URI.create("http://exa_mple.com/mcp"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBlankOrMissingName() {
        assertThatThrownBy(() -> new UpstreamTarget(" ", URI.create("http://localhost/mcp"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamTarget(null, URI.create("http://localhost/mcp"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new UpstreamTarget("u", null)).isInstanceOf(NullPointerException.class);
    }
}
