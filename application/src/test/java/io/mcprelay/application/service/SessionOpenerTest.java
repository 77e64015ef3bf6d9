package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.error;
import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.Messages.initializeResult;
import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.progress;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.ScriptedEventSource.priming;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.RecordingDownstream;
import java.util.Map;
import java.util.Optional;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.fixtures.TestEcho;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.SequentialSessionIds;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Opening sessions, reached as the client reaches it: an initialize POST to {@link RelayService}. */
class SessionOpenerTest {

    private final RelayHarness relay = RelayHarness.create();

    private static final String INITIALIZE = initialize("1");
    /** The owner of a session already stored: not the client opening one (which would replace its own, see ClientQuotasTest). */
    private static final io.mcprelay.domain.session.ClientKey ANOTHER_CLIENT = io.mcprelay.domain.session.ClientKey.ofAddress("10.9.9.9");
    private static final String RESULT = initializeResult("1", "2025-06-18");

    private Session onlyStoredSession() {
        assertThat(relay.sessions().stored()).hasSize(1);
        return relay.sessions().stored().get(0);
    }

    @Test
    void opensSessionUnderOurOwnIdAndBindsTheUpstreamSessionId() {
        relay.upstream().thenAnswer(json(RESULT, "upstream-abc"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.bodyText()).isEqualTo(RESULT);
        assertThat(client.head().sessionId()).contains(new ProxySessionId("proxy-1"));
        Session session = onlyStoredSession();
        assertThat(session.id()).isEqualTo(new ProxySessionId("proxy-1"));
        assertThat(session.upstreamSessionId()).contains(new UpstreamSessionId("upstream-abc"));
        assertThat(session.upstream()).isEqualTo("primary");
        assertThat(session.client()).isEqualTo(new ClientInfo("test-client", "1.0.0"));
        assertThat(session.createdAt()).isEqualTo(relay.clock().now());
    }

    @Test
    void neverHandsTheClientTheUpstreamSessionId() {
        TestEcho echo = new TestEcho(200, Map.of("mcp-extra", "kept"));
        relay.upstream().thenAnswer(UpstreamReplies.answer(RESULT, Optional.of(new UpstreamSessionId("upstream-abc")), echo));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.head().sessionId()).isPresent().get().isNotEqualTo(new ProxySessionId("upstream-abc"));
        assertThat(client.head().echo()).as("the transport's echo, unread; never the upstream session").isSameAs(echo);
        assertThat(client.relayedHeaders().values()).doesNotContain("upstream-abc");
    }

    @Test
    void forwardsInitializeOnceWithoutAnySessionAndWithTheClientsBytes() {
        relay.upstream().thenAnswer(json(RESULT, "upstream-abc"));
        String body = "  {\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"id\":1,\"params\":{\"protocolVersion\":\"2025-06-18\"}}\n";

        relay.post(aPost(body).build());

        ScriptedUpstream.Sent sent = relay.upstream().onlyRequest();
        assertThat(sent.kind()).isEqualTo(ScriptedUpstream.Kind.SEND);
        assertThat(sent.target()).isEqualTo(RelayHarness.PRIMARY);
        assertThat(sent.sessionId()).isEmpty();
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(sent.protocolVersion()).as("opening: nothing negotiated yet").isEmpty();
        assertThat(sent.client()).containsEntry("Accept", "application/json, text/event-stream")
                .containsEntry("Content-Type", "application/json");
    }

    @Test
    void statelessUpstreamStillGetsAProxySession() {
        relay.upstream().thenAnswer(json(RESULT));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.head().sessionId()).contains(new ProxySessionId("proxy-1"));
        assertThat(onlyStoredSession().upstreamSessionId()).isEmpty();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void takesTheNegotiatedVersionFromTheInitializeResult() {
        relay.upstream().thenAnswer(json(initializeResult("1", "2025-03-26"), "u"));

        relay.post(aPost(initialize("1", "2025-11-25")).build());

        assertThat(onlyStoredSession().protocolVersion()).isEqualTo(ProtocolVersion.V2025_03_26);
    }

    @Test
    void matchesTheResultToAStringIdExactly() {
        relay.upstream().thenAnswer(json(initializeResult("\"init-0\"", "2025-06-18"), "u"));

        RecordingDownstream client = relay.post(aPost(initialize("\"init-0\"")).build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void refusesResultForAnotherIdAsUpstreamFailure() {
        relay.upstream().thenAnswer(json(initializeResult("\"0\"", "2025-06-18"), "u"));

        RecordingDownstream client = relay.post(aPost(initialize("0")).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("0"));
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void recordsUnknownClientWhenInitializeNamesNone() {
        relay.upstream().thenAnswer(json(RESULT, "u"));

        relay.post(aPost("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}").build());

        assertThat(onlyStoredSession().client()).isEqualTo(ClientInfo.UNKNOWN);
    }

    @Test
    void holdsEventsBeforeTheResultThenEmitsThemUnderTheSessionId() {
        ScriptedEventSource events = ScriptedEventSource.of(
                priming("up-0"),
                event("up-1", progress("\"t\"", 1)),
                event("up-2", notification("notifications/message")),
                event("up-3", RESULT));
        TestEcho echo = new TestEcho(200, Map.of("mcp-extra", "kept"));
        relay.upstream().thenAnswer(new UpstreamReply.Events(events, Optional.of(new UpstreamSessionId("upstream-abc")), echo));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(client.head().sessionId()).contains(new ProxySessionId("proxy-1"));
        assertThat(client.head().echo()).isSameAs(echo);
        assertThat(client.eventData()).containsExactly(progress("\"t\"", 1), notification("notifications/message"), RESULT);
        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2", "stream-1:3");
        assertThat(client.isClosed()).isTrue();
        assertThat(events.isClosed()).isTrue();
        assertThat(onlyStoredSession().upstreamSessionId()).contains(new UpstreamSessionId("upstream-abc"));
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void keepsRelayingTheInitializeStreamAfterTheResult() {
        ScriptedEventSource events = ScriptedEventSource.ofData(RESULT, notification("notifications/tools/list_changed"));
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.eventData()).containsExactly(RESULT, notification("notifications/tools/list_changed"));
        assertThat(events.isExhausted()).isTrue();
    }

    @Test
    void relaysUpstreamErrorToInitializeWithoutStoringASession() {
        String refusal = error("1", -32602, "Unsupported protocol version");
        relay.upstream().thenAnswer(json(refusal, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        // relayed as it came, as the upstream's refusal: an initialize that opened nothing is not counted "ok"
        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.bodyText()).isEqualTo(refusal);
        assertThat(relay.metrics().onlyRequest().outcome()).isEqualTo("upstream_refused");
        assertThat(client.head().sessionId()).isEmpty();
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void relaysUpstreamErrorWithNullIdToInitializeWithoutStoringASession() {
        relay.upstream().thenAnswer(json(error("null", -32600, "Bad Request"), "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.head().sessionId()).isEmpty();
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void relaysUpstreamErrorEventToInitializeWithoutStoringASession() {
        String refusal = error("1", -32603, "no");
        ScriptedEventSource events = ScriptedEventSource.ofData(refusal);
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(client.head().sessionId()).isEmpty();
        assertThat(client.eventData()).containsExactly(refusal);
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void anErrorEventForAnotherRequestBeforeTheResultDoesNotRefuseTheSession() {
        String otherError = error("99", -32603, "not yours");
        ScriptedEventSource events = ScriptedEventSource.ofData(otherError, RESULT);
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.head().sessionId()).isPresent();
        assertThat(client.eventData()).containsExactly(otherError, RESULT);
        assertThat(onlyStoredSession().upstreamSessionId()).contains(new UpstreamSessionId("u"));
    }

    @Test
    void anInitializeTheUpstreamSaysHasNoSessionOpensNone() {
        relay.upstream().thenAnswer(UpstreamReplies.sessionGone());

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void relaysUpstreamHttpErrorToInitializeWithItsStatus() {
        String body = error("1", -32600, "Bad Request: Server already initialized");
        relay.upstream().thenAnswer(failed(400, "application/json", body));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(400);
        assertThat(client.bodyText()).isEqualTo(body);
        assertThat(client.head().sessionId()).isEmpty();
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void refusesInitializeResultWithoutProtocolVersion() {
        relay.upstream().thenAnswer(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void refusesInitializeResultWithMalformedProtocolVersion() {
        relay.upstream().thenAnswer(json(initializeResult("1", "latest"), "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void refusesUpstreamJsonThatIsNoJsonRpc() {
        relay.upstream().thenAnswer(json("<html>", "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void refusesStreamThatEndsBeforeTheResultAndClosesIt() {
        ScriptedEventSource events = ScriptedEventSource.ofData(notification("notifications/message"));
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(events.isClosed()).isTrue();
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void refusesStreamThatBreaksBeforeTheResult() {
        ScriptedEventSource events = ScriptedEventSource.of(ScriptedEventSource.broken("reset"));
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().detail()).isEqualTo("Bad Gateway: the upstream's event stream broke before the initialize result: reset");
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void holdsNoMoreThanTheConfiguredNumberOfEvents() {
        RelayHarness small = RelayHarness.builder().settings(new RelaySettings(HeaderPolicy.defaults(), 3)).build();
        ScriptedEventSource events = ScriptedEventSource.ofData(notification("a"), notification("b"), notification("c"),
                notification("d"), RESULT);
        small.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = small.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(events.readCount()).isEqualTo(3);
        assertThat(events.isClosed()).isTrue();
        assertThat(small.sessions().stored()).isEmpty();
    }

    @Test
    void refusesStreamWithUndecodableEventBeforeTheResult() {
        ScriptedEventSource events = ScriptedEventSource.ofData("not json", RESULT);
        relay.upstream().thenAnswer(eventStream(events, "u"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void refusesUpstreamThatAcceptsInitializeWithoutAnswering() {
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void theOnlyUpstreamUnreachableOnInitializeIsServiceUnavailable() {
        relay.upstream().thenAnswer(unreachable(Cause.CONNECT));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
        assertThat(client.rejection().detail()).isEqualTo("Service Unavailable: no upstream can take a new session; none of primary can be reached");
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatCannotBeReachedForAReasonItCanTellHasTheClientToldWhy() {
        UpstreamTarget other = new UpstreamTarget("secondary", URI.create("http://secondary.test/mcp"));
        RelayHarness two = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, other).build();
        two.upstream().thenAnswer(unreachable(Cause.CONNECT, "the upstream process exited with status 3 at start"))
                .thenAnswer(unreachable(Cause.CONNECT));

        RecordingDownstream client = two.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
        assertThat(client.rejection().detail()).isEqualTo("Service Unavailable: no upstream can take a new session; none of primary, secondary"
                + " can be reached (primary: the upstream process exited with status 3 at start)");
    }

    @Test
    void initializeThatCouldNotBeSentGoesToTheNextUpstream() {
        UpstreamTarget other = new UpstreamTarget("secondary", URI.create("http://secondary.test/mcp"));
        RelayHarness two = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, other).build();
        two.upstream().thenAnswer(unreachable(Cause.CONNECT)).thenAnswer(json(RESULT, "b"));

        RecordingDownstream client = two.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.bodyText()).isEqualTo(RESULT);
        assertThat(two.upstream().requests()).extracting(ScriptedUpstream.Sent::target).containsExactly(RelayHarness.PRIMARY, other);
        assertThat(two.upstream().requests()).allSatisfy(r -> assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(INITIALIZE));
        assertThat(two.sessions().stored()).singleElement().satisfies(s -> {
            assertThat(s.upstream()).isEqualTo("secondary");
            assertThat(s.upstreamSessionId()).contains(new UpstreamSessionId("b"));
        });
    }

    @Test
    void initializeTriesEachUpstreamOnceThenIsServiceUnavailable() {
        UpstreamTarget second = new UpstreamTarget("secondary", URI.create("http://secondary.test/mcp"));
        UpstreamTarget third = new UpstreamTarget("tertiary", URI.create("http://tertiary.test/mcp"));
        RelayHarness three = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, second, third).build();
        three.upstream().otherwiseAnswer(request -> unreachable(Cause.CONNECT));

        RecordingDownstream client = three.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
        assertThat(client.rejection().detail()).startsWith("Service Unavailable: no upstream can take a new session; none of ")
                .contains("primary").contains("secondary").contains("tertiary").endsWith(" can be reached");
        assertThat(three.upstream().requests()).extracting(ScriptedUpstream.Sent::target).containsExactlyInAnyOrder(RelayHarness.PRIMARY, second, third);
        assertThat(three.sessions().stored()).isEmpty();
    }

    @Test
    void initializeThatWasSentIsNeverSentAgain() {
        UpstreamTarget other = new UpstreamTarget("secondary", URI.create("http://secondary.test/mcp"));
        for (UpstreamReply sent : new UpstreamReply[] {unreachable(Cause.DROPPED), unreachable(Cause.TIMEOUT),
                unreachable(Cause.PROTOCOL), unreachable(Cause.SATURATED), failed(503, "text/plain", "busy")}) {
            RelayHarness two = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, other).build();
            two.upstream().thenAnswer(sent).otherwiseAnswer(request -> json(RESULT, "b"));

            RecordingDownstream client = two.post(aPost(INITIALIZE).build());

            assertThat(client.rejection().reason()).as("after %s", sent).isNotEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
            assertThat(two.upstream().requestCount()).as("after %s", sent).isEqualTo(1);
            assertThat(two.sessions().stored()).isEmpty();
        }
    }

    @Test
    void droppedConnectionOnInitializeIsABadGateway() {
        relay.upstream().thenAnswer(unreachable(Cause.DROPPED));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().detail()).startsWith("Bad Gateway: the upstream closed the connection without answering");
    }

    @Test
    void timeoutOnInitializeIsAGatewayTimeout() {
        relay.upstream().thenAnswer(unreachable(Cause.TIMEOUT));

        assertThat(relay.post(aPost(INITIALIZE).build()).rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
    }

    @Test
    void refusesUnsupportedVersionHeaderBeforeAnyUpstreamRequest() {
        RecordingDownstream client = relay.post(aPost(INITIALIZE).withProtocolVersion("2024-10-07").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesInitializeCarryingASessionId() {
        RecordingDownstream client = relay.post(aPost(INITIALIZE).inSession("session-1").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.INITIALIZE_WITH_SESSION);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesInitializeInABatch() {
        RecordingDownstream client = relay.post(aPost("[" + INITIALIZE + "]").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.INITIALIZE_NOT_ALONE);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesNewSessionWhenTheStoreIsFullAndEndsTheUpstreamSession() {
        RelayHarness full = RelayHarness.builder().capacity(1).build();
        full.sessions().holding(aSession().withId("existing").build().ownedBy(ANOTHER_CLIENT));
        full.upstream().thenAnswer(json(RESULT, "upstream-abc")).thenAnswer(accepted());

        RecordingDownstream client = full.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_LIMIT_REACHED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(full.upstream().requests(ScriptedUpstream.Kind.SEND)).hasSize(1);
        assertThat(full.upstream().requests(ScriptedUpstream.Kind.END)).singleElement().satisfies(delete -> {
            assertThat(delete.sessionId()).contains(new UpstreamSessionId("upstream-abc"));
            assertThat(delete.target()).isEqualTo(RelayHarness.PRIMARY);
        });
        assertThat(full.sessions().stored()).extracting(Session::id).containsExactly(new ProxySessionId("existing"));
    }

    @Test
    void fullStoreClosesTheInitializeStream() {
        RelayHarness full = RelayHarness.builder().capacity(1).build();
        full.sessions().holding(aSession().withId("existing").build().ownedBy(ANOTHER_CLIENT));
        ScriptedEventSource events = ScriptedEventSource.ofData(RESULT);
        full.upstream().thenAnswer(eventStream(events, "upstream-abc")).thenAnswer(accepted());

        RecordingDownstream client = full.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_LIMIT_REACHED);
        assertThat(events.isClosed()).isTrue();
        assertThat(full.upstream().requests(ScriptedUpstream.Kind.END)).hasSize(1);
    }

    @Test
    void fullStoreSendsNoDeleteToAStatelessUpstream() {
        RelayHarness full = RelayHarness.builder().capacity(1).build();
        full.sessions().holding(aSession().withId("existing").build().ownedBy(ANOTHER_CLIENT));
        full.upstream().thenAnswer(json(RESULT));

        RecordingDownstream client = full.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_LIMIT_REACHED);
        assertThat(full.upstream().onlyRequest().kind()).isEqualTo(ScriptedUpstream.Kind.SEND);
    }

    @Test
    void unavailableStoreIsAServiceUnavailableAndReleasesTheUpstreamSession() {
        ScriptedEventSource events = ScriptedEventSource.ofData(RESULT);
        relay.upstream().thenAnswer(request -> {
            relay.sessions().goDown();
            return eventStream(events, "upstream-abc");
        }).thenAnswer(accepted());

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(events.isClosed()).isTrue();
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.SEND)).hasSize(1);
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).singleElement()
                .satisfies(delete -> assertThat(delete.sessionId()).contains(new UpstreamSessionId("upstream-abc")));
    }

    @Test
    void mintsAnotherIdWhenTheFirstIsTaken() {
        RelayHarness colliding = RelayHarness.builder().ids(SequentialSessionIds.startingWith("taken")).build();
        colliding.sessions().holding(aSession().withId("taken").build());
        colliding.upstream().thenAnswer(json(RESULT, "u"));

        RecordingDownstream client = colliding.post(aPost(INITIALIZE).build());

        assertThat(client.head().sessionId()).contains(new ProxySessionId("proxy-1"));
        assertThat(colliding.sessions().stored()).extracting(Session::id)
                .containsExactlyInAnyOrder(new ProxySessionId("taken"), new ProxySessionId("proxy-1"));
        assertThat(colliding.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void brokenIdGeneratorFailsLoudlyWithoutLeakingTheUpstreamSession() {
        RelayHarness colliding = RelayHarness.builder().ids(SequentialSessionIds.startingWith("taken", "taken", "taken")).build();
        colliding.sessions().holding(aSession().withId("taken").build());
        ScriptedEventSource events = ScriptedEventSource.ofData(RESULT);
        colliding.upstream().thenAnswer(eventStream(events, "upstream-abc")).thenAnswer(accepted());

        assertThatThrownBy(() -> colliding.post(aPost(INITIALIZE).build())).isInstanceOf(IllegalStateException.class);

        assertThat(events.isClosed()).isTrue();
        assertThat(colliding.upstream().requests(ScriptedUpstream.Kind.END)).singleElement()
                .satisfies(delete -> assertThat(delete.sessionId()).contains(new UpstreamSessionId("upstream-abc")));
    }

    @Test
    void spreadsNewSessionsOverUpstreamsRoundRobin() {
        UpstreamTarget other = new UpstreamTarget("secondary", URI.create("http://secondary.test/mcp"));
        RelayHarness two = RelayHarness.builder().upstreams(RelayHarness.PRIMARY, other).build();
        two.upstream().thenAnswer(json(RESULT, "a")).thenAnswer(json(RESULT, "b"));

        two.post(aPost(INITIALIZE).build());
        two.post(aPost(INITIALIZE).build());

        assertThat(two.upstream().requests()).extracting(ScriptedUpstream.Sent::target).containsExactly(RelayHarness.PRIMARY, other);
        assertThat(two.sessions().stored()).extracting(Session::upstream).containsExactlyInAnyOrder("primary", "secondary");
    }

    @Test
    void doesNotForwardCredentialsWithInitializeByDefault() {
        relay.upstream().thenAnswer(json(RESULT, "u"));

        relay.post(aPost(INITIALIZE).withHeader("Authorization", "Bearer secret").withHeader("Cookie", "c=1")
                .withHeader("Mcp-Client-Hint", "x").build());

        assertThat(relay.upstream().onlyRequest().client()).doesNotContainKeys("Authorization", "Cookie")
                .containsEntry("Mcp-Client-Hint", "x");
    }

    @Test
    void forwardsCredentialsWithInitializeWhenConfigured() {
        RelayHarness trusting = RelayHarness.builder().settings(new RelaySettings(new HeaderPolicy(true), 32)).build();
        trusting.upstream().thenAnswer(json(RESULT, "u"));

        trusting.post(aPost(INITIALIZE).withHeader("Authorization", "Bearer secret").build());

        assertThat(trusting.upstream().onlyRequest().client()).containsEntry("Authorization", "Bearer secret");
    }

    @Test
    void decodesTheClientBodyOnlyOnce() {
        relay.upstream().thenAnswer(json(RESULT, "u"));

        relay.post(aPost(INITIALIZE).build());

        // once for the client's body, once for the upstream's answer
        assertThat(relay.codec().decodeCount()).isEqualTo(2);
        assertThat(relay.ids().minted()).hasSize(1);
    }
}
