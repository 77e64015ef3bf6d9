package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.mcprelay.application.port.in.AuthenticateRequestCommand;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bearer gate and the traffic filter in front of the MCP endpoint, on a real Helidon listener over
 * loopback: each refusal's status, challenge and JSON-RPC body; the principal reaching the use case;
 * every request reported once; a draining instance refusing new sessions and closing connections.
 * And the listener's own answers (a head too large) with a JSON-RPC body.
 */
class BearerGateTest {

    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
    private static final String METADATA = "https://mcp.test/.well-known/oauth-protected-resource/mcp";

    private final AtomicReference<Authentication> verdict = new AtomicReference<>();
    private final AtomicReference<AuthenticateRequestCommand> seen = new AtomicReference<>();
    private final AtomicReference<RelayMessageCommand> relayed = new AtomicReference<>();
    private final List<RequestRecord> reported = new CopyOnWriteArrayList<>();
    private final Drain drain = new Drain();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebServer server;

    @BeforeEach
    void start() {
        BearerGate gate = new BearerGate(command -> {
            seen.set(command);
            return verdict.get();
        }, new ProtectedResource(URI.create("https://mcp.test/mcp"), List.of(URI.create("https://issuer.test")), List.of("mcp:tools"),
                "mcp:tools"));
        McpHttpEndpoint endpoint = new McpHttpEndpoint((command, downstream) -> {
            relayed.set(command);
            downstream.accepted(DownstreamPort.Head.NONE);
        }, (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE), (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE),
                new McpEndpointConfig(1 << 20, OriginPolicy.forListener(true, List.of(), List.of())), Optional.of(gate));
        TrafficFilter traffic = new TrafficFilter("/mcp", drain, reported::add);
        server = WebServer.builder().host("127.0.0.1").port(0)
                .directHandlers(handlers -> {
                    for (io.helidon.http.DirectHandler.EventType type : io.helidon.http.DirectHandler.EventType.values()) {
                        handlers.addHandler(type, new JsonRpcDirectHandler());
                    }
                })
                .routing(r -> r.addFilter(traffic).register("/mcp", endpoint).get("/other", (req, res) -> res.send("other")))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> post(Optional<String> authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INIT));
        authorization.ifPresent(a -> request.header("Authorization", a));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachRefusalHasItsStatusChallengeAndJsonRpcBody() throws Exception {
        verdict.set(new Authentication.Refused(new AuthRefusal(AuthRefusal.Kind.MISSING_TOKEN, "a bearer token is required")));
        HttpResponse<String> missing = post(Optional.empty());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer resource_metadata=\"" + METADATA + "\"");
        assertThat(missing.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Unauthorized: a bearer token is required\"}}");
        assertThat(seen.get().authorization()).isEmpty();

        verdict.set(Authentication.invalid("the token has \"expired\"\n" + "x".repeat(300)));
        HttpResponse<String> invalid = post(Optional.of("Bearer abc"));
        assertThat(invalid.statusCode()).isEqualTo(401);
        String challenge = invalid.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).contains("error=\"invalid_token\"").contains("error_description=\"the token has _expired__")
                .doesNotContain("\n").doesNotContain("scope=");
        assertThat(challenge.length()).isLessThan(400);
        assertThat(seen.get().authorization()).contains("Bearer abc");

        verdict.set(new Authentication.Refused(new AuthRefusal(AuthRefusal.Kind.INSUFFICIENT_SCOPE, "the token lacks mcp:tools")));
        HttpResponse<String> scope = post(Optional.of("Bearer abc"));
        assertThat(scope.statusCode()).isEqualTo(403);
        assertThat(scope.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"").contains("scope=\"mcp:tools\"");
        assertThat(scope.body()).contains("Forbidden: the token lacks mcp:tools");

        verdict.set(new Authentication.Refused(new AuthRefusal(AuthRefusal.Kind.UNAVAILABLE, "the issuer cannot be asked now")));
        HttpResponse<String> unavailable = post(Optional.of("Bearer abc"));
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("5");
        assertThat(unavailable.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(unavailable.body()).contains("Service Unavailable: the issuer cannot be asked now");
        assertThat(relayed.get()).as("no refused request reaches the use case").isNull();
    }

    @Test
    void anAuthenticatedRequestReachesTheUseCaseAsItsPrincipalAndIsReportedOnce() throws Exception {
        verdict.set(new Authentication.Authenticated(Principal.of("alice", Set.of("mcp:tools"))));
        HttpResponse<String> ok = post(Optional.of("Bearer abc"));
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(relayed.get().principal()).map(Principal::subject).contains("alice");
        assertThat(relayed.get().client().value()).isEqualTo("principal:alice");
        awaitReported(1);
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.httpMethod()).isEqualTo("POST");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.client()).isEqualTo("127.0.0.1");
        });
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reported).as("other paths are not reported").hasSize(1);
        assertThat(drain.inFlight()).isZero();
    }

    @Test
    void aDrainingInstanceRefusesNewSessionsAndClosesConnections() throws Exception {
        verdict.set(new Authentication.Authenticated(Principal.of("alice", Set.of())));
        drain.begin();
        HttpResponse<String> refused = post(Optional.of("Bearer abc"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Connection")).contains("close");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("shutting down");
        awaitReported(1);
        assertThat(reported).singleElement().satisfies(r -> assertThat(r.refusal()).contains(TrafficFilter.DRAINING_REASON));
        assertThat(relayed.get()).isNull();
    }

    /** The filter reports once the answer is written, which the client may see first. */
    private void awaitReported(int count) throws InterruptedException {
        long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (reported.size() < count && System.nanoTime() - until < 0) {
            Thread.sleep(10);
        }
    }

    @Test
    void theListenersOwnAnswersHaveAJsonRpcBody() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            // this bare listener has Helidon's own head limit (the relay's listener answers 431, HostileConnectionsIT)
            String status = answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
            assertThat(status).startsWith("4");
            assertThat(answer).contains("application/json")
                    .contains("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"" + status + " ");
        }
        ServerResponseHeaders headers = ServerResponseHeaders.create();
        var response = new JsonRpcDirectHandler().handle(null, io.helidon.http.DirectHandler.EventType.BAD_REQUEST, Status.BAD_REQUEST_400,
                headers, "bad \u0000 chunk " + "y".repeat(500));
        assertThat(response.status()).isEqualTo(Status.BAD_REQUEST_400);
        String body = new String(response.entity().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("400 Bad Request: bad ? chunk").doesNotContain("\u0000");
        assertThat(body.length()).isLessThan(320);
        assertThat(new String(new JsonRpcDirectHandler().handle(null, io.helidon.http.DirectHandler.EventType.OTHER, Status.create(505),
                ServerResponseHeaders.create(), "").entity().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"message\":\"505 ");
    }
}
