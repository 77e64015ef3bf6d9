package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.webserver.WebServer;
import io.mcprelay.adapter.http.out.credentials.TokenEndpoint;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcp-relay's own credentials towards upstreams, end to end: a real authorization server
 * ({@code mock-oauth2-server}) issues the client-credentials and exchanged tokens, a real upstream
 * over loopback records the {@code Authorization} (and API key) header every request brings, and the
 * client's own token is never among them. A token endpoint that is down or refuses gets the client a
 * JSON-RPC error (503, 502) and sends nothing upstream.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpstreamCredentialsIT {

    static final String RESOURCE = "https://mcp.example.test/mcp";
    static final String UPSTREAM_AUDIENCE = "https://upstream.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the token endpoint in front of the real one does. */
    enum Mode { UP, DOWN, REFUSE }

    private static AuthorizationServer issuer;
    private static WebServer tokenFront;
    private static final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);
    private static final AtomicInteger tokenRequests = new AtomicInteger();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        issuer = AuthorizationServer.start();
        tokenFront = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/token", (req, res) -> {
                    tokenRequests.incrementAndGet();
                    switch (mode.get()) {
                        case DOWN -> res.status(503).send("down");
                        case REFUSE -> {
                            res.status(401).header("Content-Type", "application/json");
                            res.send("{\"error\":\"invalid_client\",\"error_description\":\"secret s3cr3t is wrong\"}");
                        }
                        case UP -> {
                            String body = new String(req.content().inputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                            HttpRequest.Builder forward = HttpRequest.newBuilder(issuer.tokenEndpoint())
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(body));
                            req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).ifPresent(a -> forward.header("Authorization", a));
                            HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
                            res.status(answer.statusCode()).header("Content-Type", "application/json").send(answer.body());
                        }
                    }
                }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (tokenFront != null) {
            tokenFront.stop();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static URI frontTokenUrl() {
        return URI.create("http://127.0.0.1:" + tokenFront.port() + "/token");
    }

    private static UpstreamAuth.Grant clientCredentials(Path secret) {
        return new UpstreamAuth.Grant(frontTokenUrl(), "mcp-relay", new UpstreamAuth.Secret("file", secret.toString(), ""),
                TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, Optional.of("upstream:read"), Optional.of(UPSTREAM_AUDIENCE), Optional.empty(),
                Duration.ofSeconds(10), 100);
    }

    @Test
    void staticHeadersFromAFileOrTheConfigurationReachEveryRequest() throws Exception {
        Path key = Files.writeString(dir.resolve("api-key"), "k3y-from-a-file\n");
        try (StubUpstream upstream = MiniMcpUpstream.start();
             McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("keyed", upstream.endpoint()))
                     .withUpstreamAuth(Map.of("keyed", new UpstreamAuth(Map.of("X-Api-Key", new UpstreamAuth.Secret("file", key.toString(), ""),
                             "X-Tenant", new UpstreamAuth.Secret("value", "acme", "")), Optional.empty(), Optional.empty()))))) {
            BearerClient client = new BearerClient(relay.port());
            String session = client.initialize("ignored-without-auth");
            assertThat(client.toolsList(Optional.empty(), session).statusCode()).isEqualTo(200);
            assertThat(client.delete(Optional.empty(), session).statusCode()).isEqualTo(200);

            assertThat(upstream.mcpRequests()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(request -> {
                assertThat(request.header("X-Api-Key")).isEqualTo("k3y-from-a-file");
                assertThat(request.header("X-Tenant")).isEqualTo("acme");
            });
        }
    }

    @Test
    void aClientCredentialsTokenIsFetchedOnceCachedAndSentToTheUpstream() throws Exception {
        Path secret = Files.writeString(dir.resolve("cc-secret"), "not-a-real-secret");
        mode.set(Mode.UP);
        int before = tokenRequests.get(); // before the relay starts: its era probe at start carries the token too
        try (StubUpstream upstream = MiniMcpUpstream.start();
             McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("api", upstream.endpoint()))
                     .withUpstreamAuth(Map.of("api", new UpstreamAuth(Map.of(), Optional.of(clientCredentials(secret)), Optional.empty()))))) {
            EraProbes.awaitJudged(relay, Duration.ofSeconds(15));
            BearerClient client = new BearerClient(relay.port());
            String session = client.initialize("unused");
            for (int i = 0; i < 5; i++) {
                assertThat(client.toolsList(Optional.empty(), session).statusCode()).isEqualTo(200);
            }
            assertThat(tokenRequests.get() - before).as("one token for every request while it is fresh").isEqualTo(1);
            List<String> sent = upstream.mcpRequests().stream().map(r -> r.header("Authorization")).distinct().toList();
            assertThat(sent).hasSize(1);
            assertThat(sent.getFirst()).startsWith("Bearer ");
            SignedJWT token = SignedJWT.parse(sent.getFirst().substring(7));
            assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(issuer.issuer().toString());
            assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("mcp-relay");
        }
    }

    @Test
    void aTokenEndpointThatIsDownOrRefusesGetsTheClientAJsonRpcErrorAndSendsNothing() throws Exception {
        Path secret = Files.writeString(dir.resolve("cc-secret-2"), "not-a-real-secret");
        try (StubUpstream upstream = MiniMcpUpstream.start();
             McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("api", upstream.endpoint()))
                     .withUpstreamAuth(Map.of("api", new UpstreamAuth(Map.of(), Optional.of(clientCredentials(secret)), Optional.empty()))))) {
            BearerClient client = new BearerClient(relay.port());
            mode.set(Mode.DOWN);
            long started = System.nanoTime();
            HttpResponse<String> down = client.initializeResponse(Optional.empty());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode error = JSON.readTree(down.body()).path("error");
            assertThat(error.path("message").asText()).contains("cannot get its credentials").contains("HTTP 503");
            assertThat(JSON.readTree(down.body()).path("id").asInt()).isEqualTo(1);

            Thread.sleep(1_100);    // past the remembered failure
            mode.set(Mode.REFUSE);
            HttpResponse<String> refused = client.initializeResponse(Optional.empty());
            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(refused.body()).contains("invalid_client").doesNotContain("s3cr3t").doesNotContain("not-a-real-secret");
            assertThat(upstream.mcpRequests()).as("nothing is sent without the credentials").isEmpty();

            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("mcp_relay_upstream_errors_total{kind=\"credentials_unavailable\",upstream=\"api\"}")
                    .contains("mcp_relay_upstream_errors_total{kind=\"credentials_refused\",upstream=\"api\"}");

            Thread.sleep(1_100);
            mode.set(Mode.UP);
            assertThat(client.initialize("unused")).as("back once the token endpoint is").isNotBlank();
        } finally {
            mode.set(Mode.UP);
        }
    }

    @Test
    void theClientsTokenIsExchangedForOneForTheUpstreamAndNeverForwarded() throws Exception {
        RSAKey clientKey = new RSAKeyGenerator(2048).keyID("relay-key").generate();
        Path keyFile = Files.writeString(dir.resolve("relay.jwk"), clientKey.toJSONString());
        UpstreamAuth.Grant exchange = new UpstreamAuth.Grant(issuer.tokenEndpoint(), "mcp-relay",
                new UpstreamAuth.Secret("file", keyFile.toString(), ""), TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT, Optional.empty(),
                Optional.of(UPSTREAM_AUDIENCE), Optional.empty(), Duration.ofSeconds(5), 100);
        try (StubUpstream upstream = MiniMcpUpstream.start();
             McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("on-behalf", upstream.endpoint()))
                     .withAuth(AuthOptions.of(issuer.issuer(), issuer.jwksUri(), URI.create(RESOURCE)))
                     .withUpstreamAuth(Map.of("on-behalf", new UpstreamAuth(Map.of(), Optional.empty(), Optional.of(exchange)))))) {
            BearerClient client = new BearerClient(relay.port());
            String alice = issuer.token("alice", RESOURCE, "mcp:tools");
            String bob = issuer.token("bob", RESOURCE, "mcp:tools");
            String aliceSession = client.initialize(alice);
            assertThat(client.toolsList(Optional.of(alice), aliceSession).statusCode()).isEqualTo(200);
            String bobSession = client.initialize(bob);
            assertThat(client.toolsList(Optional.of(bob), bobSession).statusCode()).isEqualTo(200);

            List<String> sent = upstream.mcpRequests().stream().map(r -> r.header("Authorization")).toList();
            assertThat(sent).doesNotContainNull().noneMatch(h -> h.contains(alice) || h.contains(bob));
            assertThat(sent.stream().distinct()).as("one exchanged token per client token, kept").hasSize(2);
            for (String header : sent) {
                var claims = SignedJWT.parse(header.substring("Bearer ".length())).getJWTClaimsSet();
                assertThat(claims.getAudience()).containsExactly(UPSTREAM_AUDIENCE);
                assertThat(claims.getSubject()).isIn("alice", "bob");
            }
            assertThat(upstream.mcpRequests().stream().filter(r -> r.header("Mcp-Session-Id") == null).map(r -> r.header("Authorization")))
                    .extracting(h -> SignedJWT.parse(h.substring(7)).getJWTClaimsSet().getSubject())
                    .containsExactly("alice", "bob");
        }
    }
}
