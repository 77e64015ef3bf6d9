package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's interceptor module, installed as docs/interceptors.md says: the packaged relay
 * started on the module path with the example interceptor's jar added (what bin/mcp-relay does with
 * {@code MCP_RELAY_MODULE_PATH}). The relay finds it through ServiceLoader and it acts on requests.
 */
class InterceptorModuleProcessIT {

    private static final String JSON = "application/json, text/event-stream";

    @Test
    void theRelayOnTheModulePathLoadsTheInterceptorJarAndItBlocksTriggerTools() throws Exception {
        Path example = Path.of(System.getProperty("mcprelay.interceptorExample", "examples/interceptor-example/target/interceptor-example.jar"));
        assertThat(Files.isRegularFile(example)).as("%s is packaged", example).isTrue();
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.startOnModulePath(List.of(example), "--upstream", upstream.endpoint().toString())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> init = http.send(post(relay, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"module-path\",\"version\":\"1\"}}}"),
                    HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

            HttpResponse<String> refused = http.send(post(relay, session,
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"trigger-alarm\",\"arguments\":{}}}"),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> allowed = http.send(post(relay, session,
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(200);
            assertThat(refused.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32042,"
                    + "\"message\":\"Tool trigger-alarm is refused by the deny-trigger-tools interceptor\"}}");
            assertThat(allowed.body()).contains("\"id\":3").contains("\"result\"");
            assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::body)
                    .noneMatch(body -> body.contains("trigger-alarm")).anyMatch(body -> body.contains("\"echo\""));
            assertThat(relay.output()).anyMatch(line -> line.contains("code interceptor deny-trigger-tools")
                    && line.contains("io.mcprelay.examples.interceptor.DenyTriggerToolsInterceptor"));
        }
    }

    private static HttpRequest post(RelayProcess relay, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.mcp()).header("Accept", JSON).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request.build();
    }
}
