package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** stdio upstreams from the file and from --upstream, read into the same targets; printed with env values masked. */
class StdioUpstreamConfigTest {

    private static final UpstreamTarget FS = new UpstreamTarget("fs", new UpstreamTransport.Stdio("npx",
            List.of("-y", "@modelcontextprotocol/server-filesystem", "/srv/My Files"), Map.of("API_KEY", "s3cret", "N", "1"),
            Optional.of("/srv")));

    @Test
    void theFileAndTheFlagGiveTheSameTarget() throws Exception {
        String yaml = """
                upstreams:
                  - name: fs
                    command: npx
                    args: [-y, "@modelcontextprotocol/server-filesystem", "/srv/My Files"]
                    env: {API_KEY: s3cret, N: 1}
                    cwd: /srv
                  - name: web
                    url: http://127.0.0.1:3001/mcp
                upstreamPolicy:
                  stdioMaxProcesses: 8
                  stdioStartTimeout: 45s
                """;
        RelayOptions fromFile = Configuration.resolve(ConfigFile.parse(yaml), Map.of(), Map.of()).options();
        assertThat(fromFile.upstreams()).containsExactly(FS, new UpstreamTarget("web", URI.create("http://127.0.0.1:3001/mcp")));
        assertThat(fromFile.upstreamPolicies().stdioMaxProcesses()).isEqualTo(8);
        assertThat(fromFile.upstreamPolicies().stdioStartTimeout()).isEqualTo(Duration.ofSeconds(45));

        CommandLine.Arguments flags = CommandLine.parse(new String[] {
            "--upstream", "fs=stdio:--chdir=/srv API_KEY=s3cret N=1 npx -y @modelcontextprotocol/server-filesystem '/srv/My Files'"});
        RelayOptions fromFlag = Configuration.resolve(ConfigFile.Contents.NONE, Map.of(), flags.settings()).options();
        assertThat(fromFlag.upstreams()).containsExactly(FS);
        assertThat(fromFlag.upstreamPolicies().stdioMaxProcesses()).isEqualTo(UpstreamOptions.DEFAULT_STDIO_MAX_PROCESSES);
    }

    @Test
    void printedConfigurationMasksTheEnvironmentAndReadsBack() throws Exception {
        CommandLine.Arguments flags = CommandLine.parse(new String[] {"--upstream", "fs=stdio:API_KEY=s3cret cat -n"});
        Configuration configuration = Configuration.resolve(ConfigFile.Contents.NONE, Map.of(), flags.settings());
        String masked = ConfigPrinter.yaml(configuration);
        assertThat(masked).contains("command: \"cat\"").contains("- \"-n\"").contains("API_KEY:").doesNotContain("s3cret");
        com.fasterxml.jackson.databind.JsonNode plain = ConfigPrinter.tree(configuration, false);
        assertThat(Configuration.resolve(ConfigFile.parse(plain.toString()), Map.of(), Map.of()).options().upstreams())
                .isEqualTo(configuration.options().upstreams());
    }
}
