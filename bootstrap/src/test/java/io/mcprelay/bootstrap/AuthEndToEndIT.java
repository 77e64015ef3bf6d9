package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.PrincipalMatch;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client authentication end to end, with nothing hand-made: a real authorization server
 * ({@code mock-oauth2-server}: RSA-signed JWTs, JWKS), the official MCP Java SDK client with a bearer
 * token, mcp-relay with the jar's wiring, and {@code @modelcontextprotocol/server-everything} behind
 * it. Hostile tokens each get a clean 401 while a session opened before them goes on working; one
 * principal cannot use, resume or end another's session.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthEndToEndIT {

    /** This relay's resource identifier, as clients behind a TLS-terminating proxy would reach it. */
    static final String RESOURCE = "https://mcp.example.test/mcp";
    static final String METADATA_URL = "https://mcp.example.test/.well-known/oauth-protected-resource/mcp";
    static final String SCOPE = "mcp:tools";
    static final String MATH = "mcp:math";

    private static AuthorizationServer issuer;
    private static ServerEverything upstream;
    private static McpRelayServer relay;
    private static BearerClient client;
    private static String aliceToken;
    private static String aliceSession;

    @BeforeAll
    static void start() throws Exception {
        issuer = AuthorizationServer.start();
        upstream = ServerEverything.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.mcpEndpoint()))
                .withRules(mathOnlyForItsScope())
                .withAuth(AuthOptions.of(issuer.issuer(), issuer.jwksUri(), URI.create(RESOURCE)).withRequiredScopes(List.of(SCOPE))));
        client = new BearerClient(relay.port());
        aliceToken = issuer.token("alice", RESOURCE, SCOPE);
        aliceSession = client.initialize(aliceToken);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {relay, upstream, issuer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    /** The TypeScript SDK's client (v1, pinned in e2e/package.json) with a bearer token, and without one. */
    @Test
    void typeScriptSdkClientWithABearerTokenUsesToolsAndWithoutOneIsRefused() throws Exception {
        String url = "http://127.0.0.1:" + relay.port() + "/mcp";
        JsonNode with = new ObjectMapper().readTree(io.mcprelay.bootstrap.e2e.NodeScript.lastLine("bearer-client.mjs", Duration.ofSeconds(90),
                url, issuer.token("ts-user", RESOURCE, SCOPE)));
        assertThat(with.path("ok").asBoolean()).as(with.toString()).isTrue();
        assertThat(with.path("tools").toString()).contains("\"echo\"");
        assertThat(with.path("echo").asText()).contains("through the relay");
        assertThat(relay.sessions().list(io.mcprelay.application.port.out.SessionQuery.firstPage(100)).sessions())
                .as("the session was ended by the client").noneMatch(s -> s.id().value().equals(with.path("session").asText()));

        JsonNode without = new ObjectMapper().readTree(io.mcprelay.bootstrap.e2e.NodeScript.lastLine("bearer-client.mjs", Duration.ofSeconds(90),
                url));
        assertThat(without.path("ok").asBoolean()).as(without.toString()).isFalse();
        assertThat(without.toString()).contains("401");
    }

    @Test
    void sdkClientWithABearerTokenUsesToolsThroughTheRelay() {
        String token = issuer.token("sdk-user", RESOURCE, SCOPE + " profile");
        try (McpSyncClient sdk = sdkClient(Optional.of(token))) {
            assertThat(sdk.initialize().serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(sdk.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            McpSchema.CallToolResult echo = sdk.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "with a token")));
            assertThat(echo.content()).first().isInstanceOfSatisfying(McpSchema.TextContent.class,
                    text -> assertThat(text.text()).contains("with a token"));
        }
        assertThat(relay.sessions().list(io.mcprelay.application.port.out.SessionQuery.firstPage(100)).sessions())
                .filteredOn(s -> s.client().name().equals("auth-sdk"))
                .allSatisfy(s -> assertThat(s.owner().value()).isEqualTo("principal:sdk-user"));
    }

    @Test
    void sdkClientWithoutATokenIsRefused() {
        try (McpSyncClient sdk = sdkClient(Optional.empty())) {
            assertThatThrownBy(sdk::initialize).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void withoutATokenEveryMethodGets401PointingAtTheMetadata() throws Exception {
        HttpResponse<String> post = client.initializeResponse(Optional.empty());
        HttpResponse<Void> get = client.get(Optional.empty(), aliceSession, Optional.empty());
        HttpResponse<String> delete = client.delete(Optional.empty(), aliceSession);

        for (HttpResponse<?> refused : List.of(post, get, delete)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Bearer resource_metadata=\"" + METADATA_URL + "\"");
        }
        JsonNode error = new ObjectMapper().readTree(post.body());
        assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.path("error").path("message").asText()).startsWith("Unauthorized");
        assertThat(client.toolsList(Optional.of(aliceToken), aliceSession).statusCode()).as("the session is still there").isEqualTo(200);
    }

    @Test
    void theMetadataDocumentNamesTheResourceItsIssuerAndScopes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).as(path).isEqualTo(200);
            assertThat(metadata.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode doc = new ObjectMapper().readTree(metadata.body());
            assertThat(doc.path("resource").asText()).isEqualTo(RESOURCE);
            assertThat(doc.path("authorization_servers")).hasSize(1);
            assertThat(doc.path("authorization_servers").get(0).asText()).isEqualTo(issuer.issuer().toString());
            assertThat(doc.path("scopes_supported").get(0).asText()).isEqualTo(SCOPE);
            assertThat(doc.path("bearer_methods_supported").get(0).asText()).isEqualTo("header");
        }
    }

    @Test
    void aTokenWithoutTheRequiredScopeGets403InsufficientScope() throws Exception {
        HttpResponse<String> refused = client.initializeResponse(Optional.of(issuer.token("carol", RESOURCE, "profile")));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(challenge)
                .startsWith("Bearer resource_metadata=\"" + METADATA_URL + "\"")
                .contains("error=\"insufficient_scope\"").contains("scope=\"" + SCOPE + "\""));
        assertThat(new ObjectMapper().readTree(refused.body()).path("error").path("message").asText()).startsWith("Forbidden");
    }

    static Stream<Arguments> hostileTokens() throws Exception {
        AuthorizationServer is = issuer;
        String valid = is.token("mallory", RESOURCE, SCOPE);
        return Stream.of(
                Arguments.of("expired", is.expired("mallory", RESOURCE, SCOPE)),
                Arguments.of("wrong audience", is.token("mallory", "https://other.example.test/mcp", SCOPE)),
                Arguments.of("wrong issuer", is.ofOtherIssuer("mallory", RESOURCE, SCOPE)),
                Arguments.of("alg none", AuthorizationServer.algNone(valid)),
                Arguments.of("HS256 signed with the public key", is.hs256WithThePublicKey(valid)),
                Arguments.of("unknown kid", AuthorizationServer.unknownKid(valid)),
                Arguments.of("subject changed after signing", AuthorizationServer.tampered(valid, "alice")),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("9 KiB of base64", "a".repeat(9 * 1024)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void aHostileTokenGetsACleanUnauthorizedAndNothingElseIsAffected(String kind, String token) throws Exception {
        HttpResponse<String> refused = client.initializeResponse(Optional.of(token));
        HttpResponse<String> intoAlicesSession = client.toolsList(Optional.of(token), aliceSession);

        for (HttpResponse<String> response : List.of(refused, intoAlicesSession)) {
            assertThat(response.statusCode()).as(kind).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(kind).hasValueSatisfying(challenge -> assertThat(challenge)
                    .startsWith("Bearer resource_metadata=\"" + METADATA_URL + "\"").contains("error=\"invalid_token\""));
            assertThat(new ObjectMapper().readTree(response.body()).path("error").path("code").asInt()).as(kind).isEqualTo(-32000);
        }
        assertThat(client.toolsList(Optional.of(aliceToken), aliceSession).body()).as("alice's session after " + kind).contains("echo");
    }

    /**
     * A token far over the head limit never reaches the token check: the listener answers 431 itself
     * and closes the connection without reading the rest of the head. The client may therefore see
     * the 431 or, when the relay's close meets the megabyte it is still sending, a reset that drops
     * the answer from its receive buffer (TCP, not the relay, decides which; the 431 and its JSON-RPC
     * body for a head that fits the socket buffers are pinned in HostileConnectionsIT). Either way
     * the token is refused and the relay serves on.
     */
    @Test
    void aMegabyteTokenIsRefusedCleanlyAndTheRelayServesOn() throws Exception {
        try {
            HttpResponse<String> refused = client.initializeResponse(Optional.of("a".repeat(1 << 20)));
            assertThat(refused.statusCode()).isEqualTo(431);
        } catch (java.io.IOException closedWhileSending) {
            assertThat(closedWhileSending).as("the relay closed the connection, it did not answer anything else")
                    .hasMessageFindingMatch("(?i)received no bytes|reset|closed|broken pipe|EOF");
        }
        assertThat(client.toolsList(Optional.of(aliceToken), aliceSession).body()).contains("echo");
    }

    @Test
    void anotherPrincipalCannotUseResumeOrEndASessionAndLearnsNothingOfIt() throws Exception {
        String alice = issuer.token("alice", RESOURCE, SCOPE);
        String bob = issuer.token("bob", RESOURCE, SCOPE);
        String session = client.initialize(alice);
        String unknown = "no-such-session-0123456789";

        HttpResponse<String> bobPost = client.toolsList(Optional.of(bob), session);
        HttpResponse<String> nobodyPost = client.toolsList(Optional.of(bob), unknown);
        HttpResponse<String> bobResume = client.getForBody(Optional.of(bob), session, "some-event-id");
        HttpResponse<Void> bobStream = client.get(Optional.of(bob), session, Optional.empty());
        HttpResponse<String> bobDelete = client.delete(Optional.of(bob), session);

        assertThat(bobPost.statusCode()).isEqualTo(404);
        assertThat(bobPost.body()).as("the same answer as for a session that does not exist").isEqualTo(nobodyPost.body());
        assertThat(bobResume.statusCode()).isEqualTo(404);
        assertThat(bobStream.statusCode()).isEqualTo(404);
        assertThat(bobDelete.statusCode()).isEqualTo(404);
        assertThat(client.toolsList(Optional.of(alice), session).body()).as("alice's session lives on").contains("echo");
        assertThat(client.delete(Optional.of(alice), session).statusCode()).isEqualTo(200);
        assertThat(client.toolsList(Optional.of(alice), session).statusCode()).isEqualTo(404);
    }

    /** get-sum only for holders of mcp:math: hidden from the others' listing, and blocked if they call it anyway. */
    private static RuleSet mathOnlyForItsScope() {
        PrincipalMatch lacksMath = new PrincipalMatch(Optional.empty(), Set.of(), Set.of(MATH), Map.of());
        return new RuleSet(List.of(
                new InterceptRule("math-only-for-its-scope", new RuleMatch(Set.of(), Optional.of(new Glob("tools/call")),
                        Optional.of(new Glob("get-sum")), Optional.empty(), Optional.empty(), lacksMath),
                        new RuleAction.Block(-32003, "get-sum needs the scope " + MATH)),
                new InterceptRule("hide-math", new RuleMatch(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        lacksMath), new RuleAction.HideTools(List.of(new Glob("get-sum"))))));
    }

    @Test
    void rulesMatchTheScopesOfTheCallersToken() {
        try (McpSyncClient withoutMath = sdkClient(Optional.of(issuer.token("dave", RESOURCE, SCOPE)));
             McpSyncClient withMath = sdkClient(Optional.of(issuer.token("erin", RESOURCE, SCOPE + " " + MATH)))) {
            withoutMath.initialize();
            withMath.initialize();

            assertThat(withoutMath.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo").doesNotContain("get-sum");
            assertThatThrownBy(() -> withoutMath.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 1, "b", 2))))
                    .hasMessageContaining("needs the scope " + MATH);
            assertThat(withMath.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo", "get-sum");
            McpSchema.CallToolResult sum = withMath.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40)));
            assertThat(sum.content()).first().isInstanceOfSatisfying(McpSchema.TextContent.class, t -> assertThat(t.text()).contains("42"));
        }
    }

    private static McpSyncClient sdkClient(Optional<String> token) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                .endpoint("/mcp").connectTimeout(Duration.ofSeconds(5));
        token.ifPresent(t -> transport.httpRequestCustomizer((request, method, uri, body, context) ->
                request.header("Authorization", "Bearer " + t)));
        return McpClient.sync(transport.build()).clientInfo(new McpSchema.Implementation("auth-sdk", "1.0"))
                .requestTimeout(Duration.ofSeconds(20)).build();
    }
}
