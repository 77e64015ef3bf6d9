package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3001/mcp", "https://mcp.example.com/mcp", "HTTP://localhost/", "http://[::1]:8080/mcp"})
    void acceptsHttpAndHttpsEndpoints(String url) {
        UpstreamTarget target = new UpstreamTarget("primary", URI.create(url));

        assertThat(target.transport()).isEqualTo(new UpstreamTransport.Http(URI.create(url)));
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
        assertThatThrownBy(() -> new UpstreamTarget("u", (URI) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new UpstreamTarget("u", (UpstreamTransport) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anHttpTargetNamesItsTransportAndAddress() {
        UpstreamTarget target = new UpstreamTarget("web", URI.create("http://localhost:3001/mcp"));

        assertThat(target.kind()).isEqualTo(TransportKind.HTTP);
        assertThat(target.transport()).isEqualTo(new UpstreamTransport.Http(URI.create("http://localhost:3001/mcp")));
        assertThat(target.address()).isEqualTo("http://localhost:3001/mcp");
    }

    @Test
    void aStdioTargetIsAProgramWithArgumentsAndNoEndpoint() {
        UpstreamTarget target = new UpstreamTarget("files", new UpstreamTransport.Stdio("npx",
                List.of("-y", "@modelcontextprotocol/server-filesystem", "/tmp/x"), Map.of("HOME", "/tmp"), Optional.of("/tmp")));

        assertThat(target.kind()).isEqualTo(TransportKind.STDIO);
        assertThat(target.address()).isEqualTo("stdio:npx -y @modelcontextprotocol/server-filesystem /tmp/x")
                .as("the environment may hold secrets: never in the address").doesNotContain("HOME");
    }

    @Test
    void aStdioTransportRefusesWhatCannotReachAProcessFaithfully() {
        assertThatThrownBy(() -> new UpstreamTransport.Stdio(" ", List.of())).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> new UpstreamTransport.Stdio("srv\nrm", List.of())).hasMessageContaining("NUL, CR or LF");
        assertThatThrownBy(() -> new UpstreamTransport.Stdio("srv", List.of("a\u0000b"))).hasMessageContaining("NUL, CR or LF");
        assertThatThrownBy(() -> new UpstreamTransport.Stdio("srv", List.of(), Map.of("A=B", "x"), Optional.empty()))
                .hasMessageContaining("without '='");
        assertThatThrownBy(() -> new UpstreamTransport.Stdio("srv", List.of(), Map.of(), Optional.of(" ")))
                .hasMessageContaining("working directory");
    }

    @Test
    void aStdioTransportKeepsShellTextAsPlainArguments() {
        UpstreamTransport.Stdio stdio = new UpstreamTransport.Stdio("echo", List.of("$HOME", "; rm -rf /", "*"));

        assertThat(stdio.args()).as("passed as they are: nothing expands them").containsExactly("$HOME", "; rm -rf /", "*");
    }
}
