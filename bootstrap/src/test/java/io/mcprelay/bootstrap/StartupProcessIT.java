package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting the packaged jar as a service manager does: a taken port, Kubernetes' environment, --version. */
class StartupProcessIT {

    @Test
    void aTakenPortStopsStartUpWithOneLineAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            for (String format : List.of("text", "json")) {
                RelayProcess.Result main = RelayProcess.run("--upstream", "http://127.0.0.1:1/mcp", "--port", port, "--log-format", format);
                RelayProcess.Result admin = RelayProcess.run("--upstream", "http://127.0.0.1:1/mcp", "--port", "0", "--admin-port", port,
                        "--log-format", format);

                assertThat(main.exitCode()).as(format).isEqualTo(3);
                assertThat(main.output().strip()).as(format).isEqualTo("mcp-relay: cannot listen on 127.0.0.1:" + port + ": address already in use");
                assertThat(admin.exitCode()).as(format).isEqualTo(3);
                assertThat(admin.output().strip()).as(format).isEqualTo("mcp-relay: cannot listen on 127.0.0.1:" + port + ": address already in use");
            }
        }
    }

    @Test
    void kubernetesServiceLinksInTheEnvironmentDoNotStopStartUp() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.start(withUpstream(upstream))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(relay.output()).noneMatch(line -> line.contains("SERVICE_HOST") || line.contains("PORT_8080"));
            assertThat(relay.output()).anySatisfy(line -> assertThat(line)
                    .contains("ignoring environment variables that are not settings of mcp-relay").contains("MCP_RELAY_NOT_A_SETTING"));
        }
    }

    @Test
    void versionPrintsTheProjectVersionWhichHealthMetricsAndTheAdminApiShowToo() throws Exception {
        String version = System.getProperty("mcprelay.version");
        assertThat(version).isNotBlank();

        RelayProcess.Result printed = RelayProcess.run("--version");

        assertThat(printed.exitCode()).isZero();
        assertThat(printed.output().strip()).isEqualTo("mcp-relay " + version);
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.start("--upstream", upstream.endpoint().toString(), "--admin-port", "0", "--admin-token",
                     "admin-token-0123456789abcdef")) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + relay.port();
            String health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            int adminPort = relay.output().stream().map(ADMIN::matcher).filter(java.util.regex.Matcher::find)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
            String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/stats"))
                    .header("Authorization", "Bearer admin-token-0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString()).body();

            assertThat(health).isEqualTo("{\"status\":\"UP\",\"version\":\"" + version + "\"}");
            assertThat(metrics).contains("mcp_relay_build_info{version=\"" + version + "\"} 1");
            assertThat(stats).contains("\"version\":\"" + version + "\"");
        }
    }

    private static final java.util.regex.Pattern ADMIN = java.util.regex.Pattern.compile("mcp-relay admin: http://[^:]+:(\\d+)/");

    private static java.util.Map<String, String> withUpstream(StubUpstream upstream) {
        java.util.Map<String, String> env = new java.util.HashMap<>(EnvironmentNamesTest.SERVICE_LINKS);
        env.put("MCP_RELAY_UPSTREAM", upstream.endpoint().toString());
        env.put("MCP_RELAY_NOT_A_SETTING", "x");
        return env;
    }
}
