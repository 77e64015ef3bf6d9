package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar with --config: refused files, --print-config, and reload on SIGHUP and on file change. */
class ConfigFileProcessIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anInvalidFileStopsStartUpWithExitCode2AndEveryProblemNamedWithoutAStackTrace() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                upstreams:
                  - {name: a, url: "ftp://x"}
                listen:
                  prot: 8080
                replay:
                  maxEvents: -1
                """);

        RelayProcess.Result result = RelayProcess.run("--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("mcp-relay: invalid configuration:")
                .contains("  listen.prot: unknown key (did you mean \"port\"?)")
                .contains("  upstreams[0].url: not an http(s) URL: \"ftp://x\"")
                .contains("  replay.maxEvents: must be between 1 and 10000000, not -1")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void printConfigShowsTheEffectiveConfigurationWithSecretsMaskedAndExits() throws Exception {
        Path file = Files.writeString(dir.resolve("mcp-relay.yaml"), """
                upstreams:
                  - {name: a, url: "http://127.0.0.1:1/mcp"}
                sessions: {ttl: 5m}
                """);

        RelayProcess.Result result = RelayProcess.run("--config", file.toString(), "--print-config", "--session-ttl", "7m",
                "--admin-token", "very-secret-admin-token", "--redis-url", "redis://:redis-password@127.0.0.1:6379");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("ttl: \"7m\"").contains("name: \"a\"").contains("token: \"********\"")
                .contains("redisUrl: \"redis://:********@127.0.0.1:6379\"")
                .doesNotContain("very-secret-admin-token").doesNotContain("redis-password").doesNotContain("mcp-relay ready");
    }

    @Test
    void sighupAndFileChangesReloadTheUpstreamListAndTheOpenSessionKeepsItsUpstream() throws Exception {
        try (StubUpstream a = MiniMcpUpstream.start(); StubUpstream b = MiniMcpUpstream.start()) {
            Path file = Files.writeString(dir.resolve("mcp-relay.yaml"), "upstreams:\n  - {name: a, url: \"" + a.endpoint() + "\"}\n");
            try (RelayProcess relay = RelayProcess.start("--config", file.toString())) {
                assertThat(relay.output()).anySatisfy(line -> assertThat(line).contains("mcp-relay configuration: " + file));
                String session = initialize(relay);

                relay.signal("HUP");
                awaitLine(relay, "configuration reloaded (SIGHUP): nothing to apply");

                Path next = Files.writeString(dir.resolve("next.yaml"), "upstreams:\n  - {name: b, url: \"" + b.endpoint() + "\"}\n");
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                awaitLine(relay, "configuration reloaded (file changed): upstreams +b -a (retired: keeps its sessions)");

                HttpResponse<String> call = post(relay, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}");
                assertThat(call.statusCode()).isEqualTo(200);
                assertThat(a.mcpRequests()).as("the open session still reaches its retired upstream")
                        .anySatisfy(r -> assertThat(r.body()).contains("tools/call"));
                initialize(relay);
                assertThat(b.mcpRequests()).as("a new session goes to the new upstream").anySatisfy(r -> assertThat(r.body()).contains("initialize"));

                Files.writeString(file, "upstreams: [{name: b, url: \"gopher://b\"}]\n");
                awaitLine(relay, "configuration reload (file changed) rejected, the running configuration stays: upstreams[0].url: not an http(s) URL: \"gopher://b\"");
                assertThat(relay.isAlive()).isTrue();
            }
        }
    }

    private String initialize(RelayProcess relay) throws Exception {
        HttpResponse<String> init = post(relay, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"reload\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).isEqualTo(200);
        return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> post(RelayProcess relay, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.mcp())
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitLine(RelayProcess relay, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (relay.output().stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line containing [" + text + "] within 20 s; output:\n" + String.join("\n", relay.output()));
            }
            Thread.sleep(50);
        }
    }
}
