package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.batch;
import static io.mcprelay.application.fixtures.Messages.error;
import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.Messages.toolsCall;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.passthrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.CountingMetrics;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.SimpleJsonCodec;
import io.mcprelay.application.fixtures.SimpleJsonEdit;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.JsonEditPort;
import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LoggedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The interceptor chain on the paths {@link InterceptionServiceTest} leaves out: each action on the
 * kinds of message it does not answer (a server's request, an error without id, a notification in a
 * JSON answer), code interceptors that misbehave, JSON answers that are not JSON-RPC, and batches
 * whose answers given here join an upstream answer that is a single message or nothing at all.
 */
class InterceptionPathsTest {

    private static final String SESSION = "session-1";
    private static final String SAMPLING = "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"sampling/createMessage\",\"params\":{}}";
    private static final String PARSE_ERROR = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}";
    private static final String SECRET = "{\"text\":\"secret\"}";
    private static final String REDACTED = "{\"text\":\"***\"}";

    private static RelayHarness relayWith(InterceptRule... rules) {
        return inSession(RelayHarness.builder().rules(rules).build(), ProtocolVersion.V2025_06_18);
    }

    private static RelayHarness inSession(RelayHarness relay, ProtocolVersion version) {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").withProtocolVersion(version).build());
        return relay;
    }

    private static RecordingDownstream post(RelayHarness relay, String body) {
        return relay.post(aPost(body).inSession(SESSION).withProtocolVersion(
                relay.sessions().find(new ProxySessionId(SESSION)).orElseThrow().protocolVersion().value()).build());
    }

    private static InterceptRule rule(String name, RuleMatch match, RuleAction action) {
        return new InterceptRule(name, match, action);
    }

    private static RuleMatch on(Set<Direction> directions, String method, String tool) {
        return new RuleMatch(directions, Optional.ofNullable(method).map(Glob::new), Optional.ofNullable(tool).map(Glob::new),
                Optional.empty(), Optional.empty());
    }

    private static String sent(RelayHarness relay, int index) {
        return new String(relay.upstream().requests().get(index).body(), StandardCharsets.UTF_8);
    }

    private static long hitsOf(RelayHarness relay, String name) {
        return relay.interception().interceptorStatus().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().hits();
    }

    private static List<String> logged(RelayHarness relay) {
        return relay.eventLog().events(relay.eventLog().streams().getFirst().id()).stream().map(LoggedEvent::data).toList();
    }

    private static MessageInterceptor named(String name, Function<InterceptedMessage, Decision> decide) {
        return named(name, EnumSet.allOf(Direction.class), decide);
    }

    private static MessageInterceptor named(String name, Set<Direction> directions, Function<InterceptedMessage, Decision> decide) {
        return new MessageInterceptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Direction> directions() {
                return directions;
            }

            @Override
            public Decision intercept(InterceptedMessage message) {
                return decide.apply(message);
            }
        };
    }

    // ---- rules on messages their action does not answer

    @Test
    void hiddenToolsLeaveOtherCallsAndListsThatAreNotToolListsAlone() {
        RelayHarness relay = relayWith(rule("hide-env", RuleMatch.any(), new RuleAction.HideTools(List.of(new Glob("get-*")))));
        String toolsInAResourceList = result("2", "{\"tools\":[{\"name\":\"get-env\"}]}");
        relay.upstream().thenAnswer(json(result("1")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(notification("notifications/tools/list_changed"),
                toolsInAResourceList)));
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream echo = post(relay, toolsCall("1", "echo"));
        RecordingDownstream resources = post(relay, request("2", "resources/list"));
        RecordingDownstream initialized = post(relay, notification("notifications/initialized"));

        assertThat(sent(relay, 0)).isEqualTo(toolsCall("1", "echo"));
        assertThat(echo.bodyText()).isEqualTo(result("1"));
        assertThat(resources.eventData()).containsExactly(notification("notifications/tools/list_changed"), toolsInAResourceList);
        assertThat(sent(relay, 2)).isEqualTo(notification("notifications/initialized"));
        assertThat(initialized.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(hitsOf(relay, "hide-env")).isZero();
    }

    @Test
    void aBlockedRequestFromTheServerIsDroppedFromTheStreamAndItsLog() {
        RelayHarness relay = relayWith(rule("no-sampling", on(Set.of(Direction.EVENT), "sampling/*", null), new RuleAction.Block(-32001, "no")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(SAMPLING, result("1"))));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(client.eventData()).containsExactly(result("1"));
        assertThat(logged(relay)).containsExactly(result("1"));
        assertThat(hitsOf(relay, "no-sampling")).isEqualTo(1);
    }

    @Test
    void aMockCannotAnswerARequestFromTheServerSoItReachesTheClientUncounted() {
        RelayHarness relay = relayWith(rule("fake-sampling", on(Set.of(Direction.EVENT), "sampling/*", null), new RuleAction.Mock("{}")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(SAMPLING, result("1"))));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(client.eventData()).containsExactly(SAMPLING, result("1"));
        assertThat(hitsOf(relay, "fake-sampling")).isZero();
    }

    @Test
    void anErrorAnswerIsMatchedOnTheToolOfItsRequestAndCanBeBlockedOrMocked() {
        RelayHarness relay = relayWith(
                rule("withhold-env-errors", on(Set.of(Direction.RESPONSE), "tools/call", "get-env"), new RuleAction.Block(-32001, "withheld")),
                rule("sum-never-fails", on(Set.of(Direction.RESPONSE), "tools/call", "get-sum"), new RuleAction.Mock("{\"sum\":0}")));
        relay.upstream().thenAnswer(json(error("1", -32603, "HOME=/root")));
        relay.upstream().thenAnswer(json(error("2", -32603, "overflow")));
        relay.upstream().thenAnswer(json(error("3", -32603, "echo failed")));

        RecordingDownstream env = post(relay, toolsCall("1", "get-env"));
        RecordingDownstream sum = post(relay, toolsCall("2", "get-sum"));
        RecordingDownstream echo = post(relay, toolsCall("3", "echo"));

        assertThat(env.bodyText()).isEqualTo(error("1", -32001, "withheld"));
        assertThat(sum.bodyText()).isEqualTo(result("2", "{\"sum\":0}"));
        assertThat(echo.bodyText()).isEqualTo(error("3", -32603, "echo failed"));
    }

    @Test
    void anErrorWithoutIdIsDroppedByABlockAndMockedByNoneAndTheRequestStillGetsItsAnswer() {
        RelayHarness blocking = relayWith(rule("no-parse-errors", on(Set.of(Direction.EVENT), null, null), new RuleAction.Block(-32001, "x")));
        RelayHarness mocking = relayWith(rule("mock-all", on(Set.of(Direction.EVENT), null, null), new RuleAction.Mock("{}")));
        blocking.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(PARSE_ERROR)));
        mocking.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(PARSE_ERROR)));

        RecordingDownstream blocked = post(blocking, toolsCall("1", "echo"));
        RecordingDownstream mocked = post(mocking, toolsCall("1", "echo"));

        assertThat(blocked.eventData()).singleElement().asString()
                .startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":").contains("the upstream ended the stream before answering");
        assertThat(mocked.eventData()).hasSize(2).first().isEqualTo(PARSE_ERROR);
        assertThat(hitsOf(blocking, "no-parse-errors")).isEqualTo(1);
        assertThat(hitsOf(mocking, "mock-all")).isZero();
    }

    @Test
    void eventsThatAreNotMessagesOrNotJsonRpcPassTheChainAsTheyCame() {
        RelayHarness relay = relayWith(rule("block-events", on(Set.of(Direction.EVENT), null, null), new RuleAction.Block(-32001, "x")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(
                ScriptedEventSource.event("up-1", "endpoint", "/messages?x=1", 1_000),
                ScriptedEventSource.event("up-2", "not json at all"),
                ScriptedEventSource.event("up-3", result("1")))));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(client.eventData()).containsExactly("/messages?x=1", "not json at all", error("1", -32001, "x"));
        assertThat(logged(relay)).containsExactly("/messages?x=1", "not json at all", error("1", -32001, "x"));
    }

    @Test
    void inABatchEachStreamedAnswerIsMatchedOnTheToolOfItsOwnRequest() {
        RelayHarness relay = inSession(RelayHarness.builder()
                .rules(rule("hide-env-text", on(Set.of(Direction.EVENT), null, "get-env"), new RuleAction.Redact("/result/text", "\"***\"")))
                .build(), new ProtocolVersion("2025-03-26"));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(result("99", SECRET), result("2", SECRET), result("1", SECRET))));

        RecordingDownstream client = post(relay, batch(notification("notifications/initialized"), toolsCall("1", "echo"),
                toolsCall("2", "get-env")));

        assertThat(client.eventData()).as("99 answers no request of the batch").containsExactly(
                result("99", SECRET), result("2", REDACTED), result("1", SECRET));
    }

    // ---- code interceptors that misbehave

    @Test
    void aCodeInterceptorIsSkippedOutsideItsDirectionsWhileTheRulesStillApply() {
        List<Direction> seen = new CopyOnWriteArrayList<>();
        MessageInterceptor requestsOnly = named("requests-only", EnumSet.of(Direction.REQUEST), m -> {
            seen.add(m.facts().direction());
            return Decision.CONTINUE;
        });
        MessageInterceptor nothing = named("nothing", Set.of(), m -> {
            throw new AssertionError("asked about a message although it wants none");
        });
        RelayHarness relay = inSession(RelayHarness.builder()
                .rules(rule("hide-text", on(Set.of(Direction.RESPONSE), null, null), new RuleAction.Redact("/result/text", "\"***\"")))
                .interceptors(requestsOnly, nothing).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("1", SECRET)));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(client.bodyText()).isEqualTo(result("1", REDACTED));
        assertThat(seen).containsExactly(Direction.REQUEST);
        assertThat(relay.metrics().interceptorFailures).isEmpty();
        assertThat(relay.interception().interceptorStatus()).filteredOn(s -> s.name().equals("nothing")).singleElement()
                .satisfies(s -> assertThat(s.matches()).isEmpty());
    }

    @Test
    void aCodeMockThatIsNotJsonIsAFailureAndTheMessageGoesOn() {
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(named("bad-mock", m -> new Decision.Mock("{oops"))).build(),
                ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("1")));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(sent(relay, 0)).isEqualTo(toolsCall("1", "echo"));
        assertThat(client.bodyText()).isEqualTo(result("1"));
        assertThat(relay.metrics().interceptorFailures).as("the request and the response").containsExactly("bad-mock", "bad-mock");
    }

    @Test
    void aCodeMockOfANotificationHasNothingToAnswerSoTheNotificationGoesOnUncounted() {
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(named("mock-all", m -> new Decision.Mock("{}"))).build(),
                ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = post(relay, notification("notifications/initialized"));

        assertThat(sent(relay, 0)).isEqualTo(notification("notifications/initialized"));
        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(relay.interception().interceptorStatus()).singleElement()
                .satisfies(s -> assertThat(s.hits()).isZero()).satisfies(s -> assertThat(s.failures()).isZero());
    }

    @Test
    void aCodeModificationIntoAnArrayOrBrokenObjectIsAFailureAndTheOriginalGoesOn() {
        MessageInterceptor wraps = named("wraps", EnumSet.of(Direction.REQUEST), m -> new Decision.Modify("[" + m.json() + "]"));
        MessageInterceptor truncates = named("truncates", EnumSet.of(Direction.REQUEST), m -> new Decision.Modify(" {\"jsonrpc\":"));
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(wraps, truncates).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("1")));

        post(relay, toolsCall("1", "echo"));

        assertThat(sent(relay, 0)).isEqualTo(toolsCall("1", "echo"));
        assertThat(relay.metrics().interceptorFailures).containsExactlyInAnyOrder("wraps", "truncates");
    }

    @Test
    void delaysOnAnInterruptedThreadHoldNothingAndTheInterruptStays() {
        CountingMetrics metrics = new CountingMetrics();
        InterceptionService chain = new InterceptionService(
                new RuleSet(List.of(rule("slow", RuleMatch.any(), new RuleAction.Delay(RuleAction.Delay.MAX)))),
                List.of(named("slower", m -> new Decision.Delay(Duration.ofDays(1))), named("none", m -> new Decision.Delay(Duration.ZERO))),
                new SimpleJsonEdit(), metrics);
        String text = toolsCall("1", "echo");
        JsonRpcPayload payload = ((DecodedPayload.Decoded) new SimpleJsonCodec().decode(text.getBytes(StandardCharsets.UTF_8))).payload();
        Exchange exchange = new Exchange(true, Optional.of(SESSION), Optional.of("primary"), Optional.of(payload));

        long started = System.nanoTime();
        Verdict verdict;
        boolean stillInterrupted;
        Thread.currentThread().interrupt();
        try {
            verdict = chain.intercept(Direction.REQUEST, exchange, payload.messages().getFirst(), text);
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(stillInterrupted).isTrue();
        assertThat(verdict).isEqualTo(Verdict.UNCHANGED);
        assertThat(chain.interceptorStatus()).extracting(InterceptorStatus::hits).containsExactly(1L, 1L, 1L);
    }

    @Test
    void aBatchTheJsonEditorSplitsOtherwiseThanTheCodecIsRefusedRatherThanMisaligned() {
        SimpleJsonEdit honest = new SimpleJsonEdit();
        JsonEditPort losesTheLast = new JsonEditPort() {
            @Override
            public List<String> arrayElements(String json) {
                List<String> elements = honest.arrayElements(json);
                return elements.subList(0, elements.size() - 1);
            }

            @Override
            public Optional<String> replaceAt(String json, String pointer, String replacementJson) {
                return honest.replaceAt(json, pointer, replacementJson);
            }

            @Override
            public Optional<String> removeTools(String json, Predicate<String> hidden) {
                return honest.removeTools(json, hidden);
            }

            @Override
            public boolean isJson(String text) {
                return honest.isJson(text);
            }
        };
        InterceptionService chain = new InterceptionService(new RuleSet(List.of(rule("deny-env", RuleMatch.any(),
                new RuleAction.Block(-32001, "no")))), List.of(), losesTheLast, new CountingMetrics());
        String text = batch(toolsCall("1", "echo"), toolsCall("2", "get-env"));
        JsonRpcPayload payload = ((DecodedPayload.Decoded) new SimpleJsonCodec().decode(text.getBytes(StandardCharsets.UTF_8))).payload();
        Exchange exchange = new Exchange(true, Optional.of(SESSION), Optional.of("primary"), Optional.of(payload));

        assertThatThrownBy(() -> chain.intercept(Direction.REQUEST, exchange, payload, text)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a batch of 2 messages split into 1");
    }

    // ---- replacing rules while a message is in the chain

    @Test
    void aMessageHeldWhileTheRulesAreReplacedFinishesUnderTheRulesItStartedWith() throws Exception {
        RelayHarness relay = relayWith(rule("hold", on(Set.of(Direction.REQUEST), "tools/call", null), new RuleAction.Delay(Duration.ofSeconds(1))),
                rule("deny-env", on(Set.of(Direction.REQUEST), "tools/call", "get-env"), new RuleAction.Block(-32001, "no")));

        CompletableFuture<RecordingDownstream> held = CompletableFuture.supplyAsync(() -> post(relay, toolsCall("1", "get-env")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!relay.metrics().ruleHits.contains("hold:delay") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        relay.interception().replaceRules(RuleSet.EMPTY);
        RecordingDownstream client = held.get(20, TimeUnit.SECONDS);

        assertThat(client.bodyText()).isEqualTo(error("1", -32001, "no"));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.metrics().ruleHits).containsExactly("hold:delay", "deny-env:block");
        assertThat(relay.interception().interceptorStatus()).as("the removed rules' counts are gone for good").isEmpty();
    }

    // ---- JSON answers

    @Test
    void aJsonAnswerToNotificationsGoesOnAsItCameEvenWhenItIsNotJsonRpc() {
        RelayHarness plain = relayWith();
        RelayHarness intercepting = relayWith(rule("hide-text", on(Set.of(Direction.RESPONSE), null, null),
                new RuleAction.Redact("/result/text", "\"***\"")));
        plain.upstream().thenAnswer(json("{\"ok\":true}"));
        intercepting.upstream().thenAnswer(json("{\"ok\":true}"));

        RecordingDownstream fromPlain = post(plain, notification("notifications/initialized"));
        RecordingDownstream fromIntercepting = post(intercepting, notification("notifications/initialized"));

        assertThat(fromPlain.answer()).isEqualTo(Answer.JSON);
        assertThat(fromPlain.bodyText()).isEqualTo("{\"ok\":true}");
        assertThat(fromIntercepting.answer()).isEqualTo(Answer.JSON);
        assertThat(fromIntercepting.bodyText()).isEqualTo("{\"ok\":true}");
        assertThat(intercepting.jsonEdit().editCount()).as("nothing to edit in what is not JSON-RPC").isZero();
    }

    @Test
    void aJsonAnswerToARequestThatIsNotJsonRpcIsABadGatewayForThatRequest() {
        RelayHarness relay = relayWith();
        relay.upstream().thenAnswer(json("<html>oops</html>"));
        relay.upstream().thenAnswer(json("{\"ok\":true}"));

        RecordingDownstream malformed = post(relay, toolsCall("1", "echo"));
        RecordingDownstream invalid = post(relay, toolsCall("2", "echo"));

        assertThat(malformed.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(malformed.rejection().detail()).startsWith("Bad Gateway: the upstream's JSON answer is not JSON-RPC: ");
        assertThat(malformed.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(invalid.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(invalid.rejection().detail()).startsWith("Bad Gateway: the upstream's JSON answer is not JSON-RPC: ");
    }

    @Test
    void aJsonAnswerWhoseOnlyMessageTheInterceptorsDropLeavesAnAcceptedWithoutBody() {
        RelayHarness relay = relayWith(rule("no-logs", on(Set.of(Direction.RESPONSE), "notifications/message", null),
                new RuleAction.Block(-32001, "x")));
        relay.upstream().thenAnswer(json(notification("notifications/message")));

        RecordingDownstream client = post(relay, notification("notifications/initialized"));

        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(hitsOf(relay, "no-logs")).isEqualTo(1);
    }

    @Test
    void inABatchTheAnswersGivenHereJoinAnUpstreamAnswerThatIsOneMessageAsItCameOrAsEdited() {
        InterceptRule deny = rule("deny-env", on(Set.of(Direction.REQUEST), "tools/call", "get-env"), new RuleAction.Block(-32001, "no"));
        RelayHarness plain = inSession(RelayHarness.builder().rules(deny).build(), new ProtocolVersion("2025-03-26"));
        RelayHarness redacting = inSession(RelayHarness.builder().rules(deny, rule("hide-text", on(Set.of(Direction.RESPONSE), null, null),
                new RuleAction.Redact("/result/text", "\"***\""))).build(), new ProtocolVersion("2025-03-26"));
        plain.upstream().thenAnswer(json(result("2", SECRET)));
        redacting.upstream().thenAnswer(json(result("2", SECRET)));
        String body = batch(toolsCall("1", "get-env"), toolsCall("2", "echo"));

        RecordingDownstream fromPlain = post(plain, body);
        RecordingDownstream fromRedacting = post(redacting, body);

        assertThat(sent(plain, 0)).isEqualTo(batch(toolsCall("2", "echo")));
        assertThat(fromPlain.bodyText()).isEqualTo(batch(result("2", SECRET), error("1", -32001, "no")));
        assertThat(fromRedacting.bodyText()).isEqualTo(batch(result("2", REDACTED), error("1", -32001, "no")));
    }

    @Test
    void inABatchWhoseUpstreamAnswerTheInterceptorsDropEntirelyTheClientGetsTheAnswersGivenHere() {
        RelayHarness relay = inSession(RelayHarness.builder().rules(
                rule("deny-env", on(Set.of(Direction.REQUEST), "tools/call", "get-env"), new RuleAction.Block(-32001, "no")),
                rule("no-logs", on(Set.of(Direction.RESPONSE), "notifications/message", null), new RuleAction.Block(-32001, "x")))
                .build(), new ProtocolVersion("2025-03-26"));
        relay.upstream().thenAnswer(json(notification("notifications/message")));

        RecordingDownstream client = post(relay, batch(toolsCall("1", "get-env"), notification("notifications/initialized")));

        assertThat(sent(relay, 0)).isEqualTo(batch(notification("notifications/initialized")));
        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.bodyText()).isEqualTo(batch(error("1", -32001, "no")));
    }

    // ---- other answers

    @Test
    void anAnswerWithoutContentTypeToARequestIsABadGatewaySayingSo() {
        RelayHarness relay = relayWith();
        relay.upstream().thenAnswer(passthrough("", "raw bytes"));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().detail()).contains("with no Content-Type, neither application/json nor text/event-stream");
    }

    @Test
    void anUpstreamErrorAnsweringANotificationCarriesNoRequestId() {
        RelayHarness relay = relayWith();
        relay.upstream().thenAnswer(failed(400, "text/plain", "bad notification"));

        RecordingDownstream client = post(relay, notification("notifications/initialized"));

        assertThat(client.status()).isEqualTo(400);
        assertThat(client.bodyText()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":")
                .contains("Upstream answered HTTP 400: bad notification");
    }
}
