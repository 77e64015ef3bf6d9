package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.HttpEcho;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream port over MCP Streamable HTTP, as the use cases call it: what each operation sends
 * (method, {@code Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}, the client's
 * context as headers) and what each answer means in MCP, over real loopback sockets; runs on each
 * of {@link UpstreamClients}, through a subclass per adapter.
 */
abstract class UpstreamPortContract {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
    private static final JsonRpcPayload PAYLOAD = new JsonRpcPayload.Single(
            new JsonRpcMessage.Request(new RequestId.NumericId("1"), "tools/list", McpFacts.NONE));

    private final UpstreamClients client;
    private final UpstreamClients.Tested adapter;
    private StubUpstream stub;

    UpstreamPortContract(UpstreamClients client) {
        this.client = client;
        adapter = client.create(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3)));
    }

    @AfterEach
    void stop() {
        adapter.close();
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void anInitializeIsPostedWithoutSessionAndItsAnswerNamesTheSessionItEstablished() {
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-1");
            res.header(HeaderNames.create("Mcp-Trace"), "t-1");
            res.header(HeaderNames.create("Set-Cookie"), "x=1");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });

        UpstreamReply reply = adapter.send(new UpstreamCall(opening(Map.of("Mcp-Client-Hint", "h", "MCP-Protocol-Version", "2025-06-18")),
                PAYLOAD, CALL.getBytes(StandardCharsets.UTF_8)));

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Answer.class, answer -> {
            assertThat(new String(answer.message(), StandardCharsets.UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
            assertThat(answer.session()).contains(new UpstreamSessionId("up-1"));
            assertThat(answer.echo()).as("the status, and only the headers the policy lets downstream")
                    .isEqualTo(new HttpEcho(200, Map.of("mcp-trace", "t-1")));
        });
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.body()).isEqualTo(CALL);
            assertThat(r.header("mcp-session-id")).isNull();
            assertThat(r.header("mcp-client-hint")).isEqualTo("h");
            assertThat(r.header("mcp-protocol-version")).as("the client's own, while nothing is negotiated").isEqualTo("2025-06-18");
            assertThat(r.header("accept")).contains("application/json").contains("text/event-stream");
        });
    }

    @Test
    void aCallInASessionCarriesItsIdAndTheNegotiatedVersionAndA404IsTheSessionGone() {
        stub = StubUpstream.start((req, res) -> res.status(Status.NOT_FOUND_404).send("no such session"));

        UpstreamReply reply = adapter.send(new UpstreamCall(established(Map.of("mcp-protocol-version", "2025-03-26")), PAYLOAD,
                CALL.getBytes(StandardCharsets.UTF_8)));

        assertThat(reply).isEqualTo(new UpstreamReply.SessionGone("HTTP 404"));
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("mcp-session-id")).isEqualTo("up-7");
            assertThat(r.header("mcp-protocol-version")).as("the session's, not the client's").isEqualTo("2025-06-18");
        });
    }

    @Test
    void a404ToAnInitializeIsARefusalNotALostSession() {
        String error = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"no\"}}";
        stub = StubUpstream.start((req, res) -> {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(error);
        });

        UpstreamReply reply = adapter.send(new UpstreamCall(opening(Map.of()), PAYLOAD, CALL.getBytes(StandardCharsets.UTF_8)));

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Refused.class, refused -> {
            assertThat(refused.error()).hasValueSatisfying(e -> assertThat(new String(e, StandardCharsets.UTF_8)).isEqualTo(error));
            assertThat(refused.upstreamFault()).isFalse();
            assertThat(refused.echo()).isEqualTo(new HttpEcho(404, Map.of()));
        });
    }

    @Test
    void listeningIsAGetAndAnUpstreamWithoutStandaloneStreamOffersNone() {
        stub = StubUpstream.start((req, res) -> res.status(Status.METHOD_NOT_ALLOWED_405).send());

        assertThat(adapter.listen(established(Map.of()))).isEqualTo(new UpstreamReply.NoStream("HTTP 405"));
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("mcp-session-id")).isEqualTo("up-7");
            assertThat(r.header("last-event-id")).isNull();
        });
    }

    @Test
    void resumingIsAGetAfterTheUpstreamsCursorAndGivesItsEventsWithTheirCursors() {
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "id: c-2\ndata: {\"n\":2}\n\n");
            }
        });

        UpstreamReply reply = adapter.resume(established(Map.of("Accept", "application/json", "Content-Type", "application/json")), "c-1",
                UpstreamPort.Budget.REQUEST);

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Events.class, events -> {
            try (events) {
                assertThat(events.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class, e -> {
                    assertThat(e.event().cursor()).contains("c-2");
                    assertThat(e.event().data()).isEqualTo("{\"n\":2}");
                });
            }
        });
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("last-event-id")).isEqualTo("c-1");
            assertThat(r.header("accept")).isEqualTo("text/event-stream");
            assertThat(r.header("content-type")).isNull();
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void resumingTakesItsPlaceFromTheBudgetItIsGiven() {
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "id: c-2\ndata: {}\n\n");
            }
        });
        int streams = adapter.availableStreamPermits("web");

        try (UpstreamReply standalone = adapter.resume(established(Map.of()), "c-1", UpstreamPort.Budget.STREAM)) {
            assertThat(standalone).isInstanceOf(UpstreamReply.Events.class);
            assertThat(adapter.availableStreamPermits("web")).isEqualTo(streams - 1);
        }
        assertThat(adapter.availableStreamPermits("web")).as("given back when closed").isEqualTo(streams);
    }

    @Test
    void endingIsADeleteInTheSession() {
        stub = StubUpstream.start((req, res) -> res.status(Status.OK_200).send());

        assertThat(adapter.end(established(Map.of("Mcp-Custom", "c")))).isInstanceOf(UpstreamReply.Accepted.class);
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.header("mcp-session-id")).isEqualTo("up-7");
            assertThat(r.header("mcp-protocol-version")).isEqualTo("2025-06-18");
            assertThat(r.header("mcp-custom")).isEqualTo("c");
        });
    }

    @Test
    void refusalsSayWhoseFaultTheyAre() {
        List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(503, 403));
        stub = StubUpstream.start((req, res) -> {
            res.status(Status.create(statuses.removeFirst()));
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            res.send("denied");
        });

        UpstreamReply failing = adapter.send(new UpstreamCall(established(Map.of()), PAYLOAD, CALL.getBytes(StandardCharsets.UTF_8)));
        UpstreamReply judging = adapter.send(new UpstreamCall(established(Map.of()), PAYLOAD, CALL.getBytes(StandardCharsets.UTF_8)));

        assertThat(failing).isEqualTo(new UpstreamReply.Refused(Optional.empty(), "HTTP 503", true, new HttpEcho(503, Map.of())));
        assertThat(judging).isEqualTo(new UpstreamReply.Refused(Optional.empty(), "HTTP 403: denied", false, new HttpEcho(403, Map.of())));
    }

    @Test
    void aTargetOfAnotherTransportIsUnreachableNotAnException() {
        UpstreamTarget stdio = new UpstreamTarget("files", new UpstreamTransport.Stdio("server-files", List.of()));

        UpstreamReply reply = adapter.send(new UpstreamCall(UpstreamSession.opening(stdio, ClientContext.NONE), PAYLOAD,
                CALL.getBytes(StandardCharsets.UTF_8)));

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class,
                u -> assertThat(u.detail()).contains("not an HTTP upstream"));
    }

    @Test
    void theUpstreamsOwnCredentialsGoOnEveryRequestReplacingTheClientsHeaderOfTheSameName() {
        stub = StubUpstream.start((req, res) -> res.status(Status.ACCEPTED_202).send());
        adapter.port().useCredentials(Map.of("web", client -> Map.of("Authorization", "Bearer relay-own", "X-Api-Key", "k")));

        adapter.send(new UpstreamCall(established(Map.of("authorization", "Bearer client-forwarded")), PAYLOAD,
                CALL.getBytes(StandardCharsets.UTF_8))).close();
        adapter.listen(established(Map.of())).close();
        adapter.resume(established(Map.of()), "c-1", UpstreamPort.Budget.STREAM).close();
        adapter.end(established(Map.of())).close();

        assertThat(stub.requests()).hasSize(4).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Bearer relay-own");
            assertThat(r.header("X-Api-Key")).isEqualTo("k");
        });
        adapter.port().useCredentials(Map.of());
        adapter.end(established(Map.of())).close();
        assertThat(stub.requests().getLast().header("Authorization")).isNull();
    }

    @Test
    void credentialsThatCannotBeHadSendNothingAndSayWhy() {
        stub = StubUpstream.start((req, res) -> res.status(Status.ACCEPTED_202).send());
        adapter.port().useCredentials(Map.of("web", client -> {
            throw new io.mcprelay.adapter.http.out.credentials.CredentialsException("token endpoint down", false);
        }));
        assertThat(adapter.send(new UpstreamCall(opening(Map.of()), PAYLOAD, CALL.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CREDENTIALS_UNAVAILABLE, "token endpoint down"));
        adapter.port().useCredentials(Map.of("web", client -> {
            throw new io.mcprelay.adapter.http.out.credentials.CredentialsException("invalid_client", true);
        }));
        assertThat(adapter.end(established(Map.of())))
                .isEqualTo(new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CREDENTIALS_REFUSED, "invalid_client"));
        assertThat(adapter.listen(established(Map.of()))).isInstanceOf(UpstreamReply.Unreachable.class);
        assertThat(adapter.resume(established(Map.of()), "c", UpstreamPort.Budget.STREAM)).isInstanceOf(UpstreamReply.Unreachable.class);
        adapter.port().useCredentials(Map.of("web", client -> {
            throw new IllegalStateException("a bug");
        }));
        assertThat(adapter.end(established(Map.of()))).isInstanceOfSatisfying(UpstreamReply.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.CREDENTIALS_UNAVAILABLE));
        assertThat(stub.requests()).isEmpty();
    }

    private UpstreamTarget target() {
        return new UpstreamTarget("web", stub == null ? java.net.URI.create("http://127.0.0.1:1/mcp") : stub.endpoint());
    }

    @Test
    void aListenStreamIsReadWithoutTheReadTimeoutAndOtherStreamsAreNot() throws Exception {
        String listen = "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"subscriptions/listen\",\"params\":{}}";
        String acknowledged = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\"}";
        String changed = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}";
        Duration readTimeout = Duration.ofSeconds(1);
        // silent for three read timeouts between two events, as a listen stream is while nothing changes
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                out.write(("data: " + acknowledged + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(readTimeout.multipliedBy(3).toMillis());
                out.write(("data: " + changed + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        JsonRpcPayload payload = new JsonRpcPayload.Single(new JsonRpcMessage.Request(new RequestId.NumericId("6"), "subscriptions/listen",
                McpFacts.NONE));
        UpstreamSession stateless = UpstreamSession.stateless(target(), ClientContext.NONE);

        try (UpstreamClients.Tested shortTimeout = client.create(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), readTimeout))) {
            try (UpstreamReply reply = shortTimeout.send(new UpstreamCall(stateless, payload, listen.getBytes(StandardCharsets.UTF_8),
                    UpstreamPort.Budget.STREAM))) {
                UpstreamEvents events = ((UpstreamReply.Events) reply).events();
                assertThat(events.next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class, e -> assertThat(e.event().data()).isEqualTo(acknowledged));
                assertThat(events.next()).as("after three read timeouts of silence").isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                        e -> assertThat(e.event().data()).isEqualTo(changed));
            }
            try (UpstreamReply reply = shortTimeout.send(new UpstreamCall(stateless, payload, listen.getBytes(StandardCharsets.UTF_8)))) {
                UpstreamEvents events = ((UpstreamReply.Events) reply).events();
                assertThat(events.next()).isInstanceOf(UpstreamEvents.Read.Event.class);
                assertThat(events.next()).as("an ordinary request's stream keeps the read timeout").isInstanceOf(UpstreamEvents.Read.Broken.class);
            }
        }
    }

    private UpstreamSession opening(Map<String, String> client) {
        return UpstreamSession.opening(target(), new ClientContext(client));
    }

    private UpstreamSession established(Map<String, String> client) {
        return UpstreamSession.established(target(), Optional.of(new UpstreamSessionId("up-7")), ProtocolVersion.V2025_06_18,
                new ClientContext(client));
    }
}
