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

    private static java.util.Map<String, String> withUpstream(StubUpstream upstream) {
        java.util.Map<String, String> env = new java.util.HashMap<>(EnvironmentNamesTest.SERVICE_LINKS);
        env.put("MCP_RELAY_UPSTREAM", upstream.endpoint().toString());
        env.put("MCP_RELAY_NOT_A_SETTING", "x");
        return env;
    }
}
