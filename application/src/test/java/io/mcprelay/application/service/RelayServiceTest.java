package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.batch;
import static io.mcprelay.application.fixtures.Messages.error;
import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.Messages.initializeResult;
import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.progress;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.Messages.toolsCall;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.ScriptedEventSource.broken;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.ScriptedEventSource.priming;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.passthrough;
import static io.mcprelay.application.fixtures.UpstreamReplies.sessionGone;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.fixtures.TestEcho;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayServiceTest {

    private static final String SESSION = "session-1";
    private static final String TOOLS_LIST = request("7", "tools/list");

    private final RelayHarness relay = RelayHarness.create();

    RelayServiceTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    private static RelayMessageCommand inSession(String body) {
        return aPost(body).inSession(SESSION).withProtocolVersion("2025-06-18").build();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ---- decoding and admission -------------------------------------------------------------

    @Test
    void refusesBodyThatIsNoJsonAsParseError() {
        RecordingDownstream client = relay.post(aPost("{\"jsonrpc\":").inSession(SESSION).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.PARSE_ERROR);
        assertThat(client.rejection().requestId()).isEmpty();
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesBodyThatIsNoUtf8AsParseError() {
        RecordingDownstream client = relay.post(aPost("").inSession(SESSION).withBody(new byte[] {'"', (byte) 0xC3, '"'}).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.PARSE_ERROR);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesJsonThatIsNoJsonRpcMessageAsInvalid() {
        for (String body : List.of("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"x\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}", "[]", "42", "[1]")) {
            RecordingDownstream client = relay.post(inSession(body));

            assertThat(client.rejection().reason()).as(body).isEqualTo(RejectionReason.INVALID_MESSAGE);
        }
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesMessageWithoutSessionId() {
        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MISSING_SESSION_ID);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesMalformedSessionId() {
        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession("not a session id").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MALFORMED_SESSION_ID);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesUnknownSession() {
        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession("never-issued").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesExpiredSession() {
        relay.clock().advance(Duration.ofMinutes(30));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void eachUseSlidesTheSessionTtl() {
        relay.upstream().thenAnswer(accepted()).thenAnswer(accepted());

        relay.clock().advance(Duration.ofMinutes(20));
        relay.post(inSession(notification("notifications/initialized")));
        relay.clock().advance(Duration.ofMinutes(20));
        RecordingDownstream client = relay.post(inSession(notification("notifications/initialized")));

        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(relay.sessions().stored().get(0).lastSeenAt()).isEqualTo(relay.clock().now());
    }

    @Test
    void refusesInitializeCarryingTheSessionId() {
        RecordingDownstream client = relay.post(inSession(initialize("1")));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.INITIALIZE_WITH_SESSION);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    // ---- protocol version and batching -------------------------------------------------------

    @Test
    void acceptsAnotherSupportedVersionThanTheSessionNegotiated() {
        relay.upstream().thenAnswer(json(result("7", "{\"tools\":[]}")));

        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession(SESSION).withProtocolVersion("2025-03-26").build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void refusesUnsupportedVersionHeader() {
        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession(SESSION).withProtocolVersion("2019-01-01").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void absentVersionHeaderIsRelayed() {
        relay.upstream().thenAnswer(json(result("7")));

        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession(SESSION).build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(relay.upstream().onlyRequest().protocolVersion()).hasValue(new ProtocolVersion("2025-06-18"));
    }

    @Test
    void refusesBatchInA20250618Session() {
        RecordingDownstream client = relay.post(inSession(batch(TOOLS_LIST, notification("notifications/progress"))));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.BATCH_NOT_ALLOWED);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesBatchWhoseVersionHeaderNamesARevisionWithoutBatches() {
        relay.sessions().holding(aSession().withId("old").withProtocolVersion(ProtocolVersion.V2025_03_26).build());

        RecordingDownstream client = relay.post(aPost(batch(TOOLS_LIST, notification("notifications/x"))).inSession("old")
                .withProtocolVersion("2025-06-18").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.BATCH_NOT_ALLOWED);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void relaysBatchInA20250326SessionAsItIs() {
        relay.sessions().holding(aSession().withId("old").withProtocolVersion(ProtocolVersion.V2025_03_26).build());
        String body = batch(request("1", "tools/list"), request("\"2\"", "prompts/list"), notification("notifications/x"));
        String answer = "[" + result("1") + "," + result("\"2\"") + "]";
        relay.upstream().thenAnswer(json(answer));

        RecordingDownstream client = relay.post(aPost(body).inSession("old").withProtocolVersion("2025-03-26").build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.bodyText()).isEqualTo(answer);
        assertThat(text(relay.upstream().onlyRequest().body())).isEqualTo(body);
    }

    // ---- notifications and responses ----------------------------------------------------------

    @Test
    void acceptsNotification() {
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = relay.post(inSession(notification("notifications/cancelled")));

        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(client.status()).isEqualTo(202);
        assertThat(client.head().sessionId()).contains(new ProxySessionId(SESSION));
        assertThat(relay.upstream().onlyRequest().kind()).isEqualTo(ScriptedUpstream.Kind.SEND);
    }

    @Test
    void acceptsClientResponseToAServerRequest() {
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = relay.post(inSession(result("\"server-req-1\"", "{\"roots\":[]}")));

        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void refusesUpstreamThatAcceptsARequestWithoutAnswering() {
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
    }

    // ---- JSON answers ------------------------------------------------------------------------

    @Test
    void relaysJsonAnswerToRequest() {
        String answer = result("7", "{\"tools\":[]}");
        TestEcho echo = new TestEcho(200, Map.of("mcp-trace", "t-1"));
        relay.upstream().thenAnswer(UpstreamReplies.answer(answer, Optional.empty(), echo));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.bodyText()).isEqualTo(answer);
        assertThat(client.head().sessionId()).contains(new ProxySessionId(SESSION));
        assertThat(client.head().echo()).as("what the upstream's transport said reaches the client unread").isSameAs(echo);
    }

    @Test
    void forwardsTheClientsBytesUnchangedAndKeepsLargeIds() {
        String body = "{ \"id\" : 12345678901234567890, \"jsonrpc\":\"2.0\", \"method\":\"tools/call\", \"params\":{\"n\":1.50} }";
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"result\":{}}";
        relay.upstream().thenAnswer(json(answer));

        RecordingDownstream client = relay.post(inSession(body));

        assertThat(text(relay.upstream().onlyRequest().body())).isEqualTo(body);
        assertThat(client.bodyText()).isEqualTo(answer);
    }

    @Test
    void relaysOtherContentTypesThroughForAPostWithoutRequests() {
        relay.upstream().thenAnswer(passthrough("application/octet-stream", "raw bytes"));

        RecordingDownstream client = relay.post(inSession(notification("notifications/initialized")));

        assertThat(client.answer()).isEqualTo(Answer.PASSTHROUGH);
        assertThat(client.contentType()).isEqualTo("application/octet-stream");
        assertThat(client.bodyText()).isEqualTo("raw bytes");
    }

    @Test
    void refusesARequestAnsweredWithAnotherContentTypeNamingIt() {
        relay.upstream().thenAnswer(passthrough("text/html", "<html>Welcome to nginx</html>"));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(client.rejection().detail())
                .isEqualTo("Bad Gateway: the upstream answered a request with Content-Type text/html, neither application/json nor text/event-stream");
    }

    @Test
    void refusesARequestAnsweredWithJsonThatIsNotJsonRpc() {
        relay.upstream().thenAnswer(json("<html>Welcome to nginx</html>"));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(client.rejection().detail()).startsWith("Bad Gateway: the upstream's JSON answer is not JSON-RPC: ");
    }

    // ---- event streams -----------------------------------------------------------------------

    @Test
    void relaysEventStreamEventByEventUnderOurOwnIdsWithoutUpstreamIdsOrRetry() {
        String answer = result("7", "{\"tools\":[]}");
        ScriptedEventSource events = ScriptedEventSource.of(
                priming("up-0"),
                event("up-1", "message", progress("\"p\"", 1), 5000),
                event("up-2", notification("notifications/message")),
                event("up-3", answer));
        relay.upstream().thenAnswer(eventStream(events));
        List<Integer> readsAtEachEmit = new ArrayList<>();
        RecordingDownstream client = new RecordingDownstream().onEmit(e -> readsAtEachEmit.add(events.readCount()));

        relay.post(inSession(TOOLS_LIST), client);

        assertThat(client.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(client.head().sessionId()).contains(new ProxySessionId(SESSION));
        assertThat(client.events()).containsExactly(
                new SseEvent(Optional.of("stream-1:1"), Optional.of("message"), progress("\"p\"", 1), Optional.empty()),
                new SseEvent(Optional.of("stream-1:2"), Optional.empty(), notification("notifications/message"), Optional.empty()),
                new SseEvent(Optional.of("stream-1:3"), Optional.empty(), answer, Optional.empty()));
        assertThat(relay.eventLog().events(new io.mcprelay.domain.stream.StreamId("stream-1")))
                .extracting(e -> e.upstreamEventId().orElse("")).containsExactly("up-1", "up-2", "up-3");
        assertThat(relay.eventLog().state(new io.mcprelay.domain.stream.StreamId("stream-1")).orElseThrow().complete()).isTrue();
        assertThat(readsAtEachEmit).as("each event is written before the next is read").containsExactly(2, 3, 4);
        assertThat(client.isClosed()).isTrue();
        assertThat(events.isClosed()).isTrue();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void keepsNonMessageEventTypes() {
        ScriptedEventSource events = ScriptedEventSource.of(event("u1", "custom", "payload", 10), event(result("7")));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.events().get(0)).isEqualTo(new SseEvent(Optional.of("stream-1:1"), Optional.of("custom"), "payload", Optional.empty()));
    }

    @Test
    void answersPendingRequestWithErrorEventWhenStreamEndsEarly() {
        ScriptedEventSource events = ScriptedEventSource.ofData(progress("\"p\"", 1));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.eventData()).hasSize(2);
        assertThat(client.eventData().get(1)).isEqualTo(new JsonRpcError(Optional.of(new RequestId.NumericId("7")),
                JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: the upstream ended the stream before answering").toJson());
        assertThat(client.isClosed()).isTrue();
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void answersPendingRequestWithErrorEventWhenStreamBreaks() {
        ScriptedEventSource events = ScriptedEventSource.of(broken("connection reset"));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(request("\"abc\"", "tools/list")));

        assertThat(client.eventData()).singleElement().asString()
                .startsWith("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"error\":{\"code\":-32603,")
                .contains("connection reset");
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void sendsNoErrorEventWhenTheRequestWasAnswered() {
        ScriptedEventSource events = ScriptedEventSource.ofData(error("7", -32602, "bad params"));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.eventData()).containsExactly(error("7", -32602, "bad params"));
    }

    @Test
    void answersOnlyTheUnansweredRequestsOfABatch() {
        relay.sessions().holding(aSession().withId("old").withProtocolVersion(ProtocolVersion.V2025_03_26).build());
        ScriptedEventSource events = ScriptedEventSource.ofData(result("1"));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(aPost(batch(request("1", "a"), request("2", "b"), notification("n")))
                .inSession("old").build());

        assertThat(client.eventData()).hasSize(2);
        assertThat(client.eventData().get(1)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":");
    }

    @Test
    void numericAndStringIdsAreNotConfusedWhenMatchingAnswers() {
        ScriptedEventSource events = ScriptedEventSource.ofData(result("\"0\""));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(request("0", "tools/list")));

        assertThat(client.eventData()).hasSize(2);
        assertThat(client.eventData().get(1)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":");
    }

    @Test
    void keepsReadingTheUpstreamIntoTheLogWhenTheClientGoesAway() {
        ScriptedEventSource events = ScriptedEventSource.ofData(progress("\"p\"", 1), progress("\"p\"", 2), progress("\"p\"", 3),
                result("7"));
        relay.upstream().thenAnswer(eventStream(events));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST), RecordingDownstream.goneAfter(1));

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1));
        assertThat(client.isGone()).isTrue();
        assertThat(events.isClosed()).isTrue();
        assertThat(events.isExhausted()).as("a disconnect is not a cancellation: the upstream is read to its end").isTrue();
        assertThat(relay.eventLog().events(new io.mcprelay.domain.stream.StreamId("stream-1"))).extracting(e -> e.data())
                .containsExactly(progress("\"p\"", 1), progress("\"p\"", 2), progress("\"p\"", 3), result("7"));
        assertThat(client.isClosed()).isTrue();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    // ---- upstream failures --------------------------------------------------------------------

    @Test
    void anUpstreamThatAnswersACallAsIfItWereAStreamRequestIsABadGateway() {
        relay.upstream().thenAnswer(UpstreamReplies.noStream());

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(relay.sessions().stored()).as("the session stays").hasSize(1);
    }

    @Test
    void dropsTheSessionWhenTheUpstreamLostIt() {
        relay.upstream().thenAnswer(sessionGone());

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.sessions().stored()).isEmpty();

        RecordingDownstream later = relay.post(inSession(TOOLS_LIST));

        assertThat(later.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void dropsTheSessionWhenTheUpstreamCannotBeReached() {
        relay.upstream().thenAnswer(unreachable(Cause.CONNECT));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void keepsTheSessionWhenTheUpstreamDroppedTheConnectionAfterTheRequest() {
        relay.upstream().thenAnswer(unreachable(Cause.DROPPED));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(relay.sessions().stored()).hasSize(1);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void keepsTheSessionOnUpstreamTimeout() {
        relay.upstream().thenAnswer(unreachable(Cause.TIMEOUT));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(relay.sessions().stored()).hasSize(1);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void keepsTheSessionWhenTheUpstreamSpeaksNoHttp() {
        relay.upstream().thenAnswer(unreachable(Cause.PROTOCOL));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void upstreamServerErrorWithoutJsonIsABadGateway() {
        relay.upstream().thenAnswer(failed(503, "text/html", "<h1>Service Unavailable</h1>"));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void upstreamServerErrorWithJsonIsRelayedWithItsStatus() {
        String body = error("7", -32603, "Internal error");
        relay.upstream().thenAnswer(failed(500, "application/json; charset=utf-8", body));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(500);
        assertThat(client.bodyText()).isEqualTo(body);
    }

    @Test
    void upstreamClientErrorWithJsonIsRelayedWithItsStatus() {
        String body = error("null", -32600, "Bad Request: Unsupported protocol version");
        relay.upstream().thenAnswer(failed(400, "application/json", body, Map.of("mcp-hint", "h")));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(400);
        assertThat(client.bodyText()).isEqualTo(body);
        assertThat(client.relayedHeaders()).containsEntry("mcp-hint", "h");
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void upstreamClientErrorWithoutJsonBecomesJsonRpcErrorWithItsStatus() {
        relay.upstream().thenAnswer(failed(401, "text/plain", "Unauthorized"));

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(401);
        assertThat(client.bodyText()).isEqualTo(new JsonRpcError(Optional.of(new RequestId.NumericId("7")),
                JsonRpcErrorCodes.TRANSPORT_ERROR, "Upstream answered HTTP 401: Unauthorized").toJson());
    }

    @Test
    void dropsTheSessionWhenItsUpstreamIsNoLongerConfigured() {
        relay.sessions().holding(aSession().withId("orphan").withUpstream("removed").build());

        RecordingDownstream client = relay.post(aPost(TOOLS_LIST).inSession("orphan").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.sessions().stored()).extracting(Session::id).containsExactly(new ProxySessionId(SESSION));
        assertThat(relay.upstream().requestCount()).isZero();
    }

    // ---- headers ------------------------------------------------------------------------------

    @Test
    void sendsTheUpstreamsSessionIdNeverOurs() {
        relay.upstream().thenAnswer(json(result("7")));

        relay.post(inSession(TOOLS_LIST));

        ScriptedUpstream.Sent sent = relay.upstream().onlyRequest();
        assertThat(sent.sessionId()).contains(new UpstreamSessionId("upstream-session-1"));
        assertThat(sent.client().keySet()).noneMatch(name -> name.equalsIgnoreCase("mcp-session-id"));
        assertThat(sent.client().values()).doesNotContain(SESSION);
        assertThat(sent.target()).isEqualTo(RelayHarness.PRIMARY);
    }

    @Test
    void sendsNoSessionIdToAStatelessUpstream() {
        relay.sessions().holding(aSession().withId("stateless").stateless().build());
        relay.upstream().thenAnswer(json(result("7")));

        relay.post(aPost(TOOLS_LIST).inSession("stateless").build());

        assertThat(relay.upstream().onlyRequest().sessionId()).isEmpty();
    }

    @Test
    void sendsTheSessionsNegotiatedVersionUpstream() {
        relay.sessions().holding(aSession().withId("old").withProtocolVersion(ProtocolVersion.V2025_03_26).build());
        relay.upstream().thenAnswer(json(result("7")));

        relay.post(aPost(TOOLS_LIST).inSession("old").withHeader("mcp-protocol-version", "2025-03-26").build());

        assertThat(relay.upstream().onlyRequest().protocolVersion()).as("the HTTP adapter sends it as MCP-Protocol-Version")
                .hasValue(ProtocolVersion.V2025_03_26);
    }

    @Test
    void doesNotForwardCredentialsByDefault() {
        relay.upstream().thenAnswer(json(result("7")));

        relay.post(aPost(TOOLS_LIST).inSession(SESSION).withHeader("Authorization", "Bearer client-token")
                .withHeader("Cookie", "sid=1").withHeader("Last-Event-ID", "e-1").withHeader("Host", "proxy")
                .withHeader("Mcp-Custom", "c").build());

        assertThat(relay.upstream().onlyRequest().client())
                .doesNotContainKeys("Authorization", "Cookie", "Last-Event-ID", "Host")
                .containsEntry("Mcp-Custom", "c")
                .containsEntry("Accept", "application/json, text/event-stream")
                .containsEntry("Content-Type", "application/json");
    }

    @Test
    void forwardsCredentialsWhenConfigured() {
        RelayHarness trusting = RelayHarness.builder().settings(new RelaySettings(new HeaderPolicy(true), 32)).build();
        trusting.sessions().holding(aSession().withId(SESSION).build());
        trusting.upstream().thenAnswer(json(result("7")));

        trusting.post(aPost(TOOLS_LIST).inSession(SESSION).withHeader("Authorization", "Bearer client-token").build());

        assertThat(trusting.upstream().onlyRequest().client()).containsEntry("Authorization", "Bearer client-token");
    }

    @Test
    void forwardedCookiesLoseTheRelaysOwn() {
        RelayHarness trusting = RelayHarness.builder().settings(new RelaySettings(new HeaderPolicy(true), 32)).build();
        trusting.sessions().holding(aSession().withId(SESSION).build());
        trusting.upstream().thenAnswer(json(result("7"))).thenAnswer(json(result("8")));

        trusting.post(aPost(TOOLS_LIST).inSession(SESSION).withHeader("Cookie", "sid=1; mcp_relay_admin=handle").build());
        trusting.post(aPost(TOOLS_LIST).inSession(SESSION).withHeader("Cookie", "mcp_relay_admin=handle").build());

        assertThat(trusting.upstream().requests().get(0).client()).containsEntry("Cookie", "sid=1");
        assertThat(trusting.upstream().requests().get(1).client()).doesNotContainKey("Cookie");
    }

    // ---- store ----------------------------------------------------------------------------------

    @Test
    void unavailableStoreIsAServiceUnavailable() {
        relay.sessions().goDown();

        RecordingDownstream client = relay.post(inSession(TOOLS_LIST));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void unavailableStoreOnInitializeIsAServiceUnavailable() {
        relay.sessions().goDown();
        relay.upstream().thenAnswer(json(initializeResult("1", "2025-06-18")));

        RecordingDownstream client = relay.post(aPost(initialize("1")).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.SEND)).hasSize(1);
    }

    @Test
    void usesToolsCallLikeAnyRequest() {
        relay.upstream().thenAnswer(json(result("9")));

        RecordingDownstream client = relay.post(inSession(toolsCall("9", "echo")));

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }
}
