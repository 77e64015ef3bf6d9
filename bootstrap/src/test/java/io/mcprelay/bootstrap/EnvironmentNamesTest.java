package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The environment is not only the user's: Kubernetes service links and stray names must not stop start-up. */
class EnvironmentNamesTest {

    /** What the kubelet injects for a Service named {@code mcp-relay} (port 8080, named "http") and one named {@code mcp-relay-admin}. */
    static final Map<String, String> SERVICE_LINKS = Map.ofEntries(
            Map.entry("MCP_RELAY_SERVICE_HOST", "10.0.0.1"),
            Map.entry("MCP_RELAY_SERVICE_PORT", "8080"),
            Map.entry("MCP_RELAY_SERVICE_PORT_HTTP", "8080"),
            Map.entry("MCP_RELAY_PORT", "tcp://10.0.0.1:8080"),
            Map.entry("MCP_RELAY_PORT_8080_TCP", "tcp://10.0.0.1:8080"),
            Map.entry("MCP_RELAY_PORT_8080_TCP_PROTO", "tcp"),
            Map.entry("MCP_RELAY_PORT_8080_TCP_PORT", "8080"),
            Map.entry("MCP_RELAY_PORT_8080_TCP_ADDR", "10.0.0.1"),
            Map.entry("MCP_RELAY_ADMIN_SERVICE_HOST", "10.0.0.2"),
            Map.entry("MCP_RELAY_ADMIN_SERVICE_PORT", "9090"),
            Map.entry("MCP_RELAY_ADMIN_PORT", "tcp://10.0.0.2:9090"),
            Map.entry("MCP_RELAY_ADMIN_PORT_9090_UDP_ADDR", "10.0.0.2"));

    @Test
    void kubernetesServiceLinksAreNeitherSettingsNorWarnedAbout() {
        SERVICE_LINKS.forEach((name, value) -> assertThat(EnvironmentNames.kind(name, value)).as(name).isEqualTo(EnvironmentNames.Kind.SERVICE_LINK));

        assertThat(CommandLine.environment(SERVICE_LINKS)).isEmpty();
        assertThat(EnvironmentNames.warning(SERVICE_LINKS)).isEmpty();
    }

    @Test
    void aPortVariableHoldingAPortIsStillThePort() {
        Map<String, String> env = Map.of("MCP_RELAY_PORT", "9000", "MCP_RELAY_ADMIN_PORT", "9001");

        assertThat(CommandLine.environment(env)).containsOnlyKeys("--port", "--admin-port");
        assertThat(CommandLine.environment(env).get("--port")).containsExactly(new Setting("9000", "MCP_RELAY_PORT"));
    }

    @Test
    void settingsNextToServiceLinksStillApply() throws Exception {
        Map<String, String> env = new TreeMap<>(SERVICE_LINKS);
        env.put("MCP_RELAY_UPSTREAM", "http://a.test/mcp");
        env.put("MCP_RELAY_SESSION_TTL", "5m");

        Configuration c = Configuration.resolve(ConfigFile.Contents.NONE, CommandLine.environment(env), Map.of());

        assertThat(c.options().port()).isEqualTo(8080);
        assertThat(c.options().upstreams()).hasSize(1);
        assertThat(c.options().sessionTtl()).hasMinutes(5);
    }

    @Test
    void theLauncherAndConfigVariablesAreAcceptedQuietly() {
        Map<String, String> env = Map.of("MCP_RELAY_CONFIG", "/etc/mcp-relay.yaml", "MCP_RELAY_JAVA_OPTS", "-Xmx1g",
                "MCP_RELAY_MODULE_PATH", "/opt/interceptors");

        assertThat(CommandLine.environment(env)).isEmpty();
        assertThat(EnvironmentNames.warning(env)).isEmpty();
        assertThat(EnvironmentNames.kind("MCP_RELAY_CONFIG", "x")).isEqualTo(EnvironmentNames.Kind.ACCEPTED);
    }

    @Test
    void unknownNamesAreWarnedAboutInOneLineInOrder() {
        Map<String, String> env = Map.of("MCP_RELAY_FOO", "1", "MCP_RELAY_ZZZ", "1", "MCP_RELAY_UPSTREEM", "http://a.test/mcp", "OTHER_THING", "x",
                "MCP_RELAY_SERVICE_HOST", "10.0.0.1");

        assertThat(EnvironmentNames.warning(env)).contains("ignoring environment variables that are not settings of mcp-relay (see --help): "
                + "MCP_RELAY_FOO, MCP_RELAY_UPSTREEM (did you mean \"MCP_RELAY_UPSTREAM\"?), MCP_RELAY_ZZZ");
        assertThat(EnvironmentNames.names(env)).isEqualTo(List.of("MCP_RELAY_FOO", "MCP_RELAY_SERVICE_HOST", "MCP_RELAY_UPSTREEM", "MCP_RELAY_ZZZ"));
    }

    @Test
    void onlyTheServiceLinkShapeOfAPortValueIsSkipped() {
        assertThat(EnvironmentNames.kind("MCP_RELAY_PORT", "tcp://mcp-relay.default.svc:8080")).isEqualTo(EnvironmentNames.Kind.SERVICE_LINK);
        assertThat(EnvironmentNames.kind("MCP_RELAY_PORT", "http://10.0.0.1:8080")).isEqualTo(EnvironmentNames.Kind.SETTING);
        assertThat(EnvironmentNames.kind("MCP_RELAY_PORT", "8080")).isEqualTo(EnvironmentNames.Kind.SETTING);
        assertThat(EnvironmentNames.kind("MCP_RELAY_REDIS_URL", "tcp://10.0.0.1:6379")).isEqualTo(EnvironmentNames.Kind.SETTING);
    }
}
