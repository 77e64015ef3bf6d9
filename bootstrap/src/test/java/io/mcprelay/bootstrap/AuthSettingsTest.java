package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth} section, its flags and variables: off by default, complete or refused. */
class AuthSettingsTest {

    @TempDir
    Path dir;

    @Test
    void offByDefault() throws Exception {
        assertThat(Configuration.resolve(CommandLine.parse("--upstream", "http://127.0.0.1:3001/mcp"), Map.of()).options().auth().enabled())
                .isFalse();
    }

    @Test
    void theFileSectionTurnsItOnAndFlagsAndVariablesLayerOverIt() throws Exception {
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, """
                upstreams: [{ name: a, url: "http://127.0.0.1:3001/mcp" }]
                auth:
                  issuer: https://id.example.com/realms/mcp
                  jwksUri: https://id.example.com/realms/mcp/protocol/openid-connect/certs
                  resource: https://mcp.example.com/mcp
                  requiredScopes: [mcp:tools]
                  clockSkew: 30s
                """);
        Configuration c = Configuration.resolve(CommandLine.parse("--config", file.toString(), "--auth-audience", "mcp-relay"),
                Map.of("MCP_RELAY_AUTH_JWKS_TIMEOUT", "2s"));
        AuthOptions auth = c.options().auth();

        assertThat(auth.enabled()).isTrue();
        assertThat(auth.issuer()).contains(URI.create("https://id.example.com/realms/mcp"));
        assertThat(auth.resource()).contains(URI.create("https://mcp.example.com/mcp"));
        assertThat(auth.requiredScopes()).containsExactly("mcp:tools");
        assertThat(auth.effectiveAudiences()).containsExactly("mcp-relay");
        assertThat(auth.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.jwksTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ConfigPrinter.yaml(c)).contains("issuer: \"https://id.example.com/realms/mcp\"").contains("jwksTimeout: \"2s\"");
    }

    @Test
    void withoutAnAudienceTheResourceIsTheAudience() {
        assertThat(AuthOptions.of(URI.create("https://id/"), URI.create("https://id/jwks"), URI.create("https://mcp.example.com/mcp"))
                .effectiveAudiences()).containsExactly("https://mcp.example.com/mcp");
    }

    @Test
    void anIssuerAloneIsRefusedAndSoAreBadValues() {
        ConfigException alone = catchThrowableOfType(ConfigException.class, () -> Configuration.resolve(CommandLine.parse(
                "--upstream", "http://127.0.0.1:3001/mcp", "--auth-issuer", "https://id.example.com"), Map.of()));
        assertThat(alone.problems()).anySatisfy(p -> assertThat(p).contains("--auth-jwks-uri").contains("--auth-resource"));

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> Configuration.resolve(CommandLine.parse(
                "--upstream", "http://127.0.0.1:3001/mcp", "--auth-issuer", "ftp://id", "--auth-clock-skew", "1h",
                "--auth-required-scope", "two words"), Map.of()));
        assertThat(bad.problems()).hasSizeGreaterThanOrEqualTo(3).anySatisfy(p -> assertThat(p).contains("--auth-issuer"))
                .anySatisfy(p -> assertThat(p).contains("at most 5m")).anySatisfy(p -> assertThat(p).contains("without spaces"));
        assertThat(List.of(bad.problems().toString())).noneMatch(p -> p.contains("Exception"));
    }
}
