package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tokens checked at the issuer's introspection endpoint (RFC 7662) instead of against its keys, with
 * a real authorization server ({@code mock-oauth2-server}, whose introspection endpoint vouches for
 * the tokens it issued): a valid token opens and uses a session bound to its principal; hostile
 * tokens each get a 401; an introspection endpoint that cannot be reached gets a 503 with
 * {@code Retry-After}, within the introspection timeout, never a guess either way.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthIntrospectionIT {

    static final String RESOURCE = "https://mcp.example.test/mcp";

    private static AuthorizationServer issuer;
    private static StubUpstream upstream;
    private static McpRelayServer relay;
    private static BearerClient client;

    @BeforeAll
    static void start() {
        issuer = AuthorizationServer.start();
        upstream = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAuth(introspecting(URI.create(issuer.issuer() + "/introspect"), Duration.ofSeconds(10))));
        client = new BearerClient(relay.port());
    }

    private static AuthOptions introspecting(URI endpoint, Duration timeout) {
        return new AuthOptions(Optional.of(issuer.issuer()), Optional.empty(), Optional.of(URI.create(RESOURCE)), java.util.List.of(),
                java.util.List.of(), AuthOptions.DEFAULT_CLOCK_SKEW, AuthOptions.DEFAULT_JWKS_TIMEOUT, AuthOptions.DEFAULT_JWKS_CACHE_TTL,
                AuthOptions.DEFAULT_JWKS_MIN_REFRESH, Optional.of(new AuthOptions.Introspection(endpoint, "mcp-relay", "not-a-real-secret",
                timeout, Duration.ofMinutes(1), true)));
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

    @Test
    void anIntrospectedTokenOpensASessionOfItsPrincipalThatNoOtherMayUse() throws Exception {
        String alice = issuer.token("alice", RESOURCE, "mcp:tools");
        String session = client.initialize(alice);
        assertThat(client.toolsList(Optional.of(alice), session).statusCode()).isEqualTo(200);
        String bob = issuer.token("bob", RESOURCE, "mcp:tools");
        assertThat(client.toolsList(Optional.of(bob), session).statusCode()).as("another principal").isEqualTo(404);
        assertThat(client.toolsList(Optional.of(alice), session).statusCode()).isEqualTo(200);
    }

    @Test
    void hostileTokensAreEachRefusedWithA401() throws Exception {
        String valid = issuer.token("mallory", RESOURCE, "mcp:tools");
        Map<String, String> hostile = Map.of(
                "expired", issuer.expired("mallory", RESOURCE, "mcp:tools"),
                "another audience", issuer.token("mallory", "https://elsewhere.test", "mcp:tools"),
                "another issuer", issuer.ofOtherIssuer("mallory", RESOURCE, "mcp:tools"),
                "alg none", AuthorizationServer.algNone(valid),
                "unknown key", AuthorizationServer.unknownKid(valid),
                "tampered subject", AuthorizationServer.tampered(valid, "alice"),
                "not a token the issuer knows", "opaque-garbage-0123456789",
                "9 KiB", "a".repeat(9 * 1024));
        for (Map.Entry<String, String> token : hostile.entrySet()) {
            HttpResponse<String> answer = client.initializeResponse(Optional.of(token.getValue()));
            assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).as(token.getKey()).contains("error=\"invalid_token\"");
            assertThat(answer.body()).as(token.getKey()).contains("\"jsonrpc\":\"2.0\"").doesNotContain(token.getValue().substring(0, 20));
        }
        assertThat(client.initialize(valid)).as("the relay still serves").isNotBlank();
    }

    @Test
    void anIntrospectionEndpointThatCannotBeReachedGetsA503WithinItsTimeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (McpRelayServer blind = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAuth(introspecting(URI.create("http://127.0.0.1:" + closed + "/introspect"), Duration.ofSeconds(2))))) {
            long started = System.nanoTime();
            HttpResponse<String> answer = new BearerClient(blind.port()).initializeResponse(
                    Optional.of(issuer.token("alice", RESOURCE, "mcp:tools")));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).contains("5");
            assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(answer.body()).startsWith("{\"jsonrpc\":\"2.0\"").contains("Service Unavailable");
        }
    }
}
