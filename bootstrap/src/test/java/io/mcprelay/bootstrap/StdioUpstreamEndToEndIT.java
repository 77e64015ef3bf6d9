package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stdio upstreams end to end: the MCP Java SDK client, the relay with the jar's wiring, and real stdio
 * servers from npm (pinned in e2e/package.json): {@code @modelcontextprotocol/server-everything} in
 * its stdio mode and {@code @modelcontextprotocol/server-filesystem} on a temporary directory; one
 * relay fronting an HTTP upstream and a stdio one at once.
 */
class StdioUpstreamEndToEndIT {

    private static final Path ROOT = projectRoot();
    private static final List<McpSchema.ProgressNotification> PROGRESS = new CopyOnWriteArrayList<>();
    static final String EVERYTHING = ROOT.resolve("e2e/node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString();
    static final String FILESYSTEM = ROOT.resolve("e2e/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js").toString();

    @TempDir
    static Path files;
    private static ServerEverything httpUpstream;
    private static McpRelayServer relay;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(files.resolve("hello.txt"), "hello from a stdio upstream\n");
        httpUpstream = ServerEverything.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(stdio("everything", "node", EVERYTHING, "stdio")).withUpstreams(List.of(
                stdio("everything", "node", EVERYTHING, "stdio"),
                stdio("files", "node", FILESYSTEM, files.toString()),
                new UpstreamTarget("web", httpUpstream.mcpEndpoint())), UpstreamOptions.defaults()));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (httpUpstream != null) {
            httpUpstream.close();
        }
        assertThat(childProcesses(EVERYTHING)).as("stdio processes left after the relay closed").isEmpty();
        assertThat(childProcesses(FILESYSTEM)).as("stdio processes left after the relay closed").isEmpty();
    }

    static UpstreamTarget stdio(String name, String command, String... args) {
        return new UpstreamTarget(name, new UpstreamTransport.Stdio(command, List.of(args)));
    }

    @Test
    void oneRelayFrontsTwoStdioServersAndAnHttpServerAtOnce() {
        Set<String> servers = new HashSet<>();
        List<McpSyncClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                McpSyncClient client = newClient("mixed-" + i);
                clients.add(client);
                servers.add(client.initialize().serverInfo().name());
                assertThat(client.listTools().tools()).isNotEmpty();
            }
            assertThat(relay.sessions().list(io.mcprelay.application.port.out.SessionQuery.firstPage(
                    io.mcprelay.application.port.out.SessionQuery.MAX_LIMIT)).sessions().stream()
                    .filter(s -> s.client().name().startsWith("mixed-")).map(io.mcprelay.domain.session.Session::upstream))
                    .containsExactlyInAnyOrder("everything", "files", "web");
        } finally {
            clients.forEach(McpSyncClient::closeGracefully);
        }
        assertThat(servers).containsExactlyInAnyOrder("mcp-servers/everything", "secure-filesystem-server");
    }

    @Test
    void serverEverythingOverStdioCallsToolsStreamsProgressAndReadsResources() {
        try (McpSyncClient client = clientOf("everything", "stdio-everything")) {
            McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hello stdio")));
            assertThat(text(echo)).contains("hello stdio");
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40))))).contains("42");

            McpSchema.CallToolResult slow = client.callTool(McpSchema.CallToolRequest.builder()
                    .name("trigger-long-running-operation").arguments(Map.of("duration", 1, "steps", 3)).progressToken("p-stdio").build());
            assertThat(text(slow)).contains("Long running operation completed");

            List<McpSchema.Resource> resources = client.listResources().resources();
            assertThat(resources).isNotEmpty();
            McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(resources.getFirst().uri()));
            assertThat(read.contents()).isNotEmpty();
            assertThat(PROGRESS).filteredOn(p -> "p-stdio".equals(p.progressToken())).extracting(McpSchema.ProgressNotification::progress)
                    .containsExactly(1.0, 2.0, 3.0);
        }
    }

    @Test
    void serverFilesystemReadsListsAndWritesItsDirectory() throws Exception {
        try (McpSyncClient client = clientOf("files", "stdio-files")) {
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("read_text_file",
                    Map.of("path", files.resolve("hello.txt").toString()))))).contains("hello from a stdio upstream");
            client.callTool(new McpSchema.CallToolRequest("write_file",
                    Map.of("path", files.resolve("written.txt").toString(), "content", "written through the relay")));
            assertThat(Files.readString(files.resolve("written.txt"))).isEqualTo("written through the relay");
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("list_directory", Map.of("path", files.toString())))))
                    .contains("hello.txt").contains("written.txt");
        }
    }

    @Test
    void aServerRequestReachesTheStandaloneStreamAndProgressIsReplayedAfterADisconnect() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String session = initialize(http, "everything");

        // roots/list: server-everything asks it of a client that declared roots, on the GET stream
        try (SseTestClient standalone = SseTestClient.get(http, endpoint(), session, Map.of())) {
            assertThat(standalone.status()).isEqualTo(200);
            Optional<SseTestClient.Event> event;
            String rootsRequest = null;
            while (rootsRequest == null && (event = standalone.next()).isPresent()) {
                if (event.get().data().contains("roots/list")) {
                    rootsRequest = event.get().data();
                }
            }
            assertThat(rootsRequest).contains("\"method\":\"roots/list\"");
        }

        // a request's stream, cut after its first event, resumed with Last-Event-ID from the relay's log
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"trigger-long-running-operation\","
                + "\"arguments\":{\"duration\":2,\"steps\":4},\"_meta\":{\"progressToken\":\"resume-me\"}}}";
        String firstId;
        try (SseTestClient stream = SseTestClient.post(http, endpoint(), session, call)) {
            assertThat(stream.status()).isEqualTo(200);
            SseTestClient.Event first = stream.next().orElseThrow();
            assertThat(first.data()).contains("notifications/progress");
            firstId = first.id().orElseThrow();
        }
        try (SseTestClient resumed = SseTestClient.get(http, endpoint(), session, Map.of("Last-Event-ID", firstId))) {
            assertThat(resumed.status()).isEqualTo(200);
            List<SseTestClient.Event> rest = resumed.drain();
            assertThat(SseTestClient.progressOf(rest)).containsExactly(2, 3, 4);
            assertThat(rest.getLast().data()).contains("\"id\":7").contains("Long running operation completed");
        }
        delete(http, session);
    }

    @Test
    void deleteStopsTheSessionsProcessAndTheSessionIsGone() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int before = childProcesses(FILESYSTEM).size();
        String session = initialize(http, "files");
        assertThat(childProcesses(FILESYSTEM)).hasSize(before + 1);
        assertThat(delete(http, session)).isEqualTo(200);
        assertThat(childProcesses(FILESYSTEM)).hasSize(before);
        assertThat(post(http, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").statusCode()).isEqualTo(404);
    }

    // ---- helpers

    /** A client whose session landed on the upstream named {@code upstream} (upstreams are taken in turn). */
    private static McpSyncClient clientOf(String upstream, String clientName) {
        for (int attempt = 0; attempt < 6; attempt++) {
            String name = clientName + "-" + attempt;
            McpSyncClient client = newClient(name);
            client.initialize();
            boolean there = relay.sessions().list(io.mcprelay.application.port.out.SessionQuery.firstPage(
                    io.mcprelay.application.port.out.SessionQuery.MAX_LIMIT)).sessions().stream()
                    .anyMatch(s -> s.client().name().equals(name) && s.upstream().equals(upstream));
            if (there) {
                return client;
            }
            client.closeGracefully();
        }
        throw new AssertionError("no session reached " + upstream);
    }

    /** Opens a session on the upstream named {@code upstream} by raw HTTP, declaring the roots capability; returns its id. */
    private static String initialize(HttpClient http, String upstream) throws Exception {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{\"roots\":{\"listChanged\":true}},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
        for (int attempt = 0; attempt < 6; attempt++) {
            HttpResponse<String> answer = post(http, null, init);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String session = answer.headers().firstValue("Mcp-Session-Id").orElseThrow();
            boolean there = relay.sessions().find(new io.mcprelay.domain.session.ProxySessionId(session))
                    .map(io.mcprelay.domain.session.Session::upstream).filter(upstream::equals).isPresent();
            if (there) {
                assertThat(post(http, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode()).isEqualTo(202);
                return session;
            }
            delete(http, session);
        }
        throw new AssertionError("no session reached " + upstream);
    }

    static HttpResponse<String> post(HttpClient http, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int delete(HttpClient http, String session) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint()).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18")
                .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static McpSyncClient newClient(String clientName) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                .endpoint("/mcp").connectTimeout(Duration.ofSeconds(5)).build();
        return McpClient.sync(transport).clientInfo(new McpSchema.Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(60)).progressConsumer(PROGRESS::add).build();
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    /** This JVM's live descendants whose command line mentions {@code marker} (the relay runs in it). */
    static List<ProcessHandle> childProcesses(String marker) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false)
                        || p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
    }

    static Path projectRoot() {
        String configured = System.getProperty("mcprelay.projectRoot");
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "e2e", "package.json"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("e2e/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no e2e/package.json above " + Path.of("").toAbsolutePath());
    }
}
