package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.batch;
import static io.mcprelay.application.fixtures.Messages.error;
import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.Messages.initializeResult;
import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.Messages.toolsCall;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.stream.LoggedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The interceptor chain as the relay runs it: on the request, the JSON answer and each event (in-memory fakes). */
class InterceptionServiceTest {

    private static final String SESSION = "session-1";
    private static final String SECRET_CALL = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"login\","
            + "\"arguments\":{\"user\":\"ann\",\"password\":\"hunter2\"}}}";
    private static final String TOOLS = "{\"tools\":[{\"name\":\"echo\"},{\"name\":\"get-env\"},{\"name\":\"get-sum\"}]}";

    private static RelayHarness relayWith(InterceptRule... rules) {
        return inSession(RelayHarness.builder().rules(rules).build(), ProtocolVersion.V2025_06_18);
    }

    private static RelayHarness inSession(RelayHarness relay, ProtocolVersion version) {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").withProtocolVersion(version).build());
        return relay;
    }

    private static RecordingDownstream post(RelayHarness relay, String body) {
        return relay.post(aPost(body).inSession(SESSION).withProtocolVersion(relay.sessions().find(
                new io.mcprelay.domain.session.ProxySessionId(SESSION)).orElseThrow().protocolVersion().value()).build());
    }

    private static InterceptRule rule(String name, RuleMatch match, RuleAction action) {
        return new InterceptRule(name, match, action);
    }

    private static RuleMatch on(Set<Direction> directions, String method, String tool) {
        return new RuleMatch(directions, Optional.ofNullable(method).map(Glob::new), Optional.ofNullable(tool).map(Glob::new),
                Optional.empty(), Optional.empty());
    }

    private static String sentUpstream(RelayHarness relay) {
        return new String(relay.upstream().onlyRequest().body(), StandardCharsets.UTF_8);
    }

    private static long hitsOf(RelayHarness relay, String name) {
        return relay.interception().interceptorStatus().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().hits();
    }

    @Test
    void withNothingConfiguredTheOriginalBytesGoOnAndNothingIsEditedOrDecodedTwice() {
        RelayHarness relay = relayWith();
        relay.upstream().thenAnswer(json(result("3", "{\"ok\":true}")));

        RecordingDownstream client = post(relay, SECRET_CALL);

        assertThat(relay.upstream().onlyRequest().body()).isEqualTo(SECRET_CALL.getBytes(StandardCharsets.UTF_8));
        assertThat(client.bodyText()).isEqualTo(result("3", "{\"ok\":true}"));
        assertThat(relay.codec().decodeCount()).as("the request once; the JSON answer once, only to check it is JSON-RPC").isEqualTo(2);
        assertThat(relay.jsonEdit().editCount()).isZero();
        for (Direction direction : Direction.values()) {
            assertThat(relay.interception().intercepts(direction)).isFalse();
        }
    }

    @Test
    void aBlockedToolCallGetsTheConfiguredErrorAndTheUpstreamIsNotCalled() {
        RelayHarness relay = relayWith(rule("deny-env", on(Set.of(Direction.REQUEST), "tools/call", "get-env"),
                new RuleAction.Block(-32001, "get-env is not allowed here")));

        RecordingDownstream client = post(relay, toolsCall("\"call-7\"", "get-env"));

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.bodyText()).isEqualTo(error("\"call-7\"", -32001, "get-env is not allowed here"));
        assertThat(client.head().sessionId()).hasValueSatisfying(id -> assertThat(id.value()).isEqualTo(SESSION));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(hitsOf(relay, "deny-env")).isEqualTo(1);
        assertThat(relay.metrics().ruleHits).containsExactly("deny-env:block");
    }

    @Test
    void otherToolsPassUnchangedAndAreNotCounted() {
        RelayHarness relay = relayWith(rule("deny-env", on(Set.of(), "tools/call", "get-env"), new RuleAction.Block(-32001, "no")));
        relay.upstream().thenAnswer(json(result("1")));

        post(relay, toolsCall("1", "echo"));

        assertThat(sentUpstream(relay)).isEqualTo(toolsCall("1", "echo"));
        assertThat(hitsOf(relay, "deny-env")).isZero();
    }

    @Test
    void aBlockedNotificationIsAcknowledgedAndDropped() {
        RelayHarness relay = relayWith(rule("no-cancel", on(Set.of(), "notifications/cancelled", null), new RuleAction.Block(1, "no")));

        RecordingDownstream client = post(relay, notification("notifications/cancelled"));

        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void aMockedMethodIsAnsweredWithoutTheUpstreamCarryingTheRequestsIdExactly() {
        RelayHarness relay = relayWith(rule("fake-prompts", on(Set.of(), "prompts/list", null), new RuleAction.Mock("{\"prompts\":[]}")));

        RecordingDownstream client = post(relay, request("12345678901234567890", "prompts/list"));

        assertThat(client.bodyText()).isEqualTo(result("12345678901234567890", "{\"prompts\":[]}"));
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void hiddenToolsVanishFromJsonAndStreamedListsAndCallsToThemAreUnknownTools() {
        RelayHarness relay = relayWith(rule("hide-env", RuleMatch.any(), new RuleAction.HideTools(List.of(new Glob("get-*")))));
        relay.upstream().thenAnswer(json(result("1", TOOLS)));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(result("2", TOOLS))));

        RecordingDownstream jsonList = post(relay, request("1", "tools/list"));
        RecordingDownstream streamedList = post(relay, request("2", "tools/list"));
        RecordingDownstream call = post(relay, toolsCall("3", "get-env"));

        assertThat(jsonList.bodyText()).isEqualTo(result("1", "{\"tools\":[{\"name\":\"echo\"}]}"));
        assertThat(streamedList.eventData()).containsExactly(result("2", "{\"tools\":[{\"name\":\"echo\"}]}"));
        assertThat(call.bodyText()).isEqualTo(error("3", -32602, "Unknown tool: get-env"));
        assertThat(relay.upstream().requestCount()).as("the two lists only").isEqualTo(2);
        assertThat(hitsOf(relay, "hide-env")).isEqualTo(3);
    }

    @Test
    void aRedactedRequestMemberReachesTheUpstreamRedacted() {
        RelayHarness relay = relayWith(rule("no-passwords", on(Set.of(Direction.REQUEST), null, null),
                new RuleAction.Redact("/params/arguments/password", RuleAction.Redact.DEFAULT_REPLACEMENT)));
        relay.upstream().thenAnswer(json(result("3")));
        relay.upstream().thenAnswer(json(result("4")));

        post(relay, SECRET_CALL);
        post(relay, toolsCall("4", "echo"));

        assertThat(new String(relay.upstream().requests().get(0).body(), StandardCharsets.UTF_8))
                .isEqualTo(SECRET_CALL.replace("\"hunter2\"", "\"[REDACTED]\""));
        assertThat(new String(relay.upstream().requests().get(1).body(), StandardCharsets.UTF_8))
                .as("a message without the member passes unchanged").isEqualTo(toolsCall("4", "echo"));
        assertThat(hitsOf(relay, "no-passwords")).isEqualTo(1);
    }

    @Test
    void aResponseIsMatchedOnTheToolOfTheRequestItAnswersAndRedactedInJsonAndEventsAndTheLog() {
        RelayHarness relay = relayWith(rule("hide-echo-text", on(Set.of(Direction.RESPONSE, Direction.EVENT), "tools/call", "echo"),
                new RuleAction.Redact("/result/text", "\"***\"")));
        relay.upstream().thenAnswer(json(result("1", "{\"text\":\"secret\"}")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(result("2", "{\"text\":\"secret\"}"))));
        relay.upstream().thenAnswer(json(result("3", "{\"text\":\"a sum\"}")));

        RecordingDownstream echoJson = post(relay, toolsCall("1", "echo"));
        RecordingDownstream echoStream = post(relay, toolsCall("2", "echo"));
        RecordingDownstream sum = post(relay, toolsCall("3", "get-sum"));

        assertThat(echoJson.bodyText()).isEqualTo(result("1", "{\"text\":\"***\"}"));
        assertThat(echoStream.eventData()).containsExactly(result("2", "{\"text\":\"***\"}"));
        assertThat(relay.eventLog().events(relay.eventLog().streams().getFirst().id())).extracting(LoggedEvent::data)
                .as("the replay log holds what the client saw").containsExactly(result("2", "{\"text\":\"***\"}"));
        assertThat(sum.bodyText()).isEqualTo(result("3", "{\"text\":\"a sum\"}"));
    }

    @Test
    void aBlockedResponseBecomesTheErrorForItsRequestAndABlockedEventNotificationIsDropped() {
        RelayHarness relay = relayWith(
                rule("no-env-results", on(Set.of(Direction.EVENT), "tools/call", "get-env"), new RuleAction.Block(-32001, "withheld")),
                rule("no-progress", on(Set.of(Direction.EVENT), "notifications/progress", null), new RuleAction.Block(-32001, "x")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(
                ScriptedEventSource.event("up-1", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}"),
                ScriptedEventSource.event("up-2", result("5", "{\"env\":\"HOME=/root\"}")))));

        RecordingDownstream client = post(relay, toolsCall("5", "get-env"));

        assertThat(client.eventData()).containsExactly(error("5", -32001, "withheld"));
        assertThat(relay.eventLog().events(relay.eventLog().streams().getFirst().id())).extracting(LoggedEvent::data)
                .containsExactly(error("5", -32001, "withheld"));
        assertThat(relay.eventLog().state(relay.eventLog().streams().getFirst().id()).orElseThrow().upstreamCursor()).contains("up-2");
    }

    @Test
    void eventsOfTheStandaloneGetStreamAreInterceptedToo() {
        RelayHarness relay = relayWith(rule("quiet-logs", on(Set.of(Direction.EVENT), "notifications/message", null),
                new RuleAction.Redact("/params/data", "\"(log withheld)\"")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"token=abc\"}}")));

        RecordingDownstream client = relay.get(new io.mcprelay.application.port.in.OpenStreamCommand(Optional.of(SESSION), Optional.empty(),
                Optional.empty(), java.util.Map.of("Accept", "text/event-stream")));

        assertThat(client.eventData()).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"(log withheld)\"}}");
        assertThat(hitsOf(relay, "quiet-logs")).isEqualTo(1);
    }

    @Test
    void aDelayHoldsTheMessageThenLetsItGo() {
        RelayHarness relay = relayWith(rule("slow-echo", on(Set.of(Direction.REQUEST), "tools/call", "echo"),
                new RuleAction.Delay(Duration.ofMillis(200))));
        relay.upstream().thenAnswer(json(result("1")));

        long started = System.nanoTime();
        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(client.bodyText()).isEqualTo(result("1"));
        assertThat(sentUpstream(relay)).isEqualTo(toolsCall("1", "echo"));
    }

    @Test
    void theInitializeExchangePassesUntouched() {
        RelayHarness relay = RelayHarness.builder().rules(rule("block-all", RuleMatch.any(), new RuleAction.Block(1, "no"))).build();
        relay.upstream().thenAnswer(json(initializeResult("1", "2025-06-18"), "upstream-session-9"));

        RecordingDownstream client = relay.post(aPost(initialize("1")).build());

        assertThat(client.bodyText()).isEqualTo(initializeResult("1", "2025-06-18"));
        assertThat(client.head().sessionId()).isPresent();
    }

    // ---- batches (2025-03-26)

    private static RelayHarness batchRelay() {
        return inSession(RelayHarness.builder()
                .rules(rule("deny-env", on(Set.of(Direction.REQUEST), "tools/call", "get-env"), new RuleAction.Block(-32001, "no")),
                        rule("fake-ping", on(Set.of(Direction.REQUEST), "ping", null), new RuleAction.Mock("{}")),
                        rule("drop-cancel", on(Set.of(Direction.REQUEST), "notifications/cancelled", null), new RuleAction.Block(1, "x")))
                .build(), new ProtocolVersion("2025-03-26"));
    }

    @Test
    void inABatchTheBlockedAndMockedAreAnsweredHereAndTheRestForwardedJoiningTheUpstreamsJsonAnswer() {
        RelayHarness relay = batchRelay();
        relay.upstream().thenAnswer(json(batch(result("2", "{\"echoed\":true}"))));

        RecordingDownstream client = post(relay, batch(toolsCall("1", "get-env"), toolsCall("2", "echo"), request("3", "ping"),
                notification("notifications/cancelled")));

        assertThat(sentUpstream(relay)).isEqualTo(batch(toolsCall("2", "echo")));
        assertThat(client.bodyText()).isEqualTo(batch(result("2", "{\"echoed\":true}"), error("1", -32001, "no"), result("3")));
    }

    @Test
    void inABatchAnsweredByAStreamTheAnswersGivenHereAreItsFirstEvents() {
        RelayHarness relay = batchRelay();
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(result("2"))));

        RecordingDownstream client = post(relay, batch(toolsCall("1", "get-env"), toolsCall("2", "echo")));

        assertThat(client.eventData()).containsExactly(error("1", -32001, "no"), result("2"));
        assertThat(relay.eventLog().events(relay.eventLog().streams().getFirst().id())).hasSize(2);
    }

    @Test
    void aBatchAnsweredEntirelyHereNeverReachesTheUpstream() {
        RelayHarness relay = batchRelay();

        RecordingDownstream answered = post(relay, batch(toolsCall("1", "get-env"), request("2", "ping")));
        RecordingDownstream dropped = post(relay, batch(notification("notifications/cancelled")));

        assertThat(answered.bodyText()).isEqualTo(batch(error("1", -32001, "no"), result("2")));
        assertThat(dropped.answer()).isEqualTo(Answer.ACCEPTED);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void aBatchWhoseRequestsWereAllAnsweredHereGetsThemWhenTheUpstreamAcceptsTheRest() {
        RelayHarness relay = batchRelay();
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = post(relay, batch(request("2", "ping"), notification("notifications/initialized")));

        assertThat(sentUpstream(relay)).isEqualTo(batch(notification("notifications/initialized")));
        assertThat(client.bodyText()).isEqualTo(batch(result("2")));
    }

    // ---- code interceptors

    @Test
    void codeInterceptorsRunAfterTheRulesSeeingTheirEditsInNameOrder() {
        List<String> seen = new CopyOnWriteArrayList<>();
        MessageInterceptor second = named("b-second", m -> {
            seen.add("b:" + m.json());
            return Decision.CONTINUE;
        });
        MessageInterceptor first = named("a-first", m -> {
            seen.add("a:" + m.facts().tool().orElse("-"));
            return new Decision.Modify(m.json().replace("\"echo\"", "\"echo\",\"stamped\":true"));
        });
        RelayHarness relay = inSession(RelayHarness.builder()
                .rules(rule("no-passwords", RuleMatch.any(), new RuleAction.Redact("/params/arguments", "{}")))
                .interceptors(second, first).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("1")));

        post(relay, toolsCall("1", "echo"));

        String expected = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"stamped\":true,\"arguments\":{}}}";
        assertThat(sentUpstream(relay)).isEqualTo(expected);
        assertThat(seen).containsExactly("a:echo", "b:" + expected, "a:echo", "b:" + result("1"));
        assertThat(relay.interception().interceptorStatus()).extracting(InterceptorStatus::name)
                .containsExactly("no-passwords", "a-first", "b-second");
    }

    @Test
    void aCodeInterceptorCanBlockMockAndDelay() {
        MessageInterceptor policy = named("policy", m -> switch (m.facts().method().orElse("")) {
            case "tools/call" -> new Decision.Block(-32010, "calls are off");
            case "ping" -> new Decision.Mock("{\"pong\":1}");
            // the response to resources/list carries its request's method too: hold only the request
            case "resources/list" -> m.facts().direction() == Direction.REQUEST ? new Decision.Delay(Duration.ofMillis(100)) : Decision.CONTINUE;
            default -> Decision.CONTINUE;
        });
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(policy).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("3")));

        RecordingDownstream call = post(relay, toolsCall("1", "echo"));
        RecordingDownstream ping = post(relay, request("2", "ping"));
        long started = System.nanoTime();
        RecordingDownstream resources = post(relay, request("3", "resources/list"));

        assertThat(call.bodyText()).isEqualTo(error("1", -32010, "calls are off"));
        assertThat(ping.bodyText()).isEqualTo(result("2", "{\"pong\":1}"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(resources.bodyText()).isEqualTo(result("3"));
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
        assertThat(relay.interception().interceptorStatus()).singleElement()
                .satisfies(s -> assertThat(s.hits()).isEqualTo(3)).satisfies(s -> assertThat(s.kind()).isEqualTo("code"));
    }

    @Test
    void aFailingCodeInterceptorIsCountedAndTheMessageGoesOnUnchanged() {
        MessageInterceptor broken = named("broken", m -> {
            throw new IllegalStateException("bug in user code");
        });
        MessageInterceptor nulls = named("nulls", m -> null);
        MessageInterceptor garbage = named("garbage", m -> new Decision.Modify("not json"));
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(broken, nulls, garbage).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(json(result("1")));

        RecordingDownstream client = post(relay, toolsCall("1", "echo"));

        assertThat(sentUpstream(relay)).isEqualTo(toolsCall("1", "echo"));
        assertThat(client.bodyText()).isEqualTo(result("1"));
        assertThat(relay.metrics().interceptorFailures).containsExactlyInAnyOrder("broken", "broken", "nulls", "nulls", "garbage", "garbage");
        assertThat(relay.interception().interceptorStatus()).allSatisfy(s -> assertThat(s.failures()).isEqualTo(2));
    }

    @Test
    void aCodeInterceptorIsOnlyAskedAboutItsDirections() {
        List<Direction> seen = new CopyOnWriteArrayList<>();
        MessageInterceptor requestsOnly = new MessageInterceptor() {
            @Override
            public Set<Direction> directions() {
                return EnumSet.of(Direction.REQUEST);
            }

            @Override
            public Decision intercept(InterceptedMessage message) {
                seen.add(message.facts().direction());
                return Decision.CONTINUE;
            }
        };
        RelayHarness relay = inSession(RelayHarness.builder().interceptors(requestsOnly).build(), ProtocolVersion.V2025_06_18);
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(result("1"))));

        post(relay, toolsCall("1", "echo"));

        assertThat(seen).containsExactly(Direction.REQUEST);
        assertThat(relay.interception().intercepts(Direction.EVENT)).isFalse();
        assertThat(relay.interception().intercepts(Direction.REQUEST)).isTrue();
    }

    // ---- replacing rules

    @Test
    void replacedRulesApplyToTheNextMessageAndKeepTheCountsOfRulesThatStay() {
        InterceptRule deny = rule("deny-env", on(Set.of(), "tools/call", "get-env"), new RuleAction.Block(-32001, "no"));
        RelayHarness relay = relayWith(deny);
        post(relay, toolsCall("1", "get-env"));

        relay.interception().replaceRules(new RuleSet(List.of(deny,
                rule("deny-sum", on(Set.of(), "tools/call", "get-sum"), new RuleAction.Block(-32001, "no")))));
        post(relay, toolsCall("2", "get-sum"));
        relay.interception().replaceRules(RuleSet.EMPTY);
        relay.upstream().thenAnswer(json(result("3")));
        RecordingDownstream allowed = post(relay, toolsCall("3", "get-sum"));

        assertThat(allowed.bodyText()).isEqualTo(result("3"));
        assertThat(relay.interception().interceptorStatus()).isEmpty();
        relay.interception().replaceRules(new RuleSet(List.of(deny)));
        assertThat(hitsOf(relay, "deny-env")).as("dropped with its rule, new when it returns").isZero();
    }

    @Test
    void rulesWithConfiguredJsonThatIsNotJsonAreRefusedAndTheOldRulesStay() {
        InterceptRule deny = rule("deny-env", on(Set.of(), "tools/call", "get-env"), new RuleAction.Block(-32001, "no"));
        RelayHarness relay = relayWith(deny);

        assertThatThrownBy(() -> relay.interception().replaceRules(new RuleSet(List.of(
                rule("bad-mock", RuleMatch.any(), new RuleAction.Mock("{not json")))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-mock").hasMessageContaining("result");
        assertThatThrownBy(() -> relay.interception().replaceRules(new RuleSet(List.of(
                rule("bad-redact", RuleMatch.any(), new RuleAction.Redact("/a", "[REDACTED]")))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-redact");
        assertThat(relay.interception().interceptorStatus()).extracting(InterceptorStatus::name).containsExactly("deny-env");
        assertThat(relay.interception().interceptorStatus().getFirst().matches()).isEqualTo("method=tools/call tool=get-env");
    }

    private static MessageInterceptor named(String name, java.util.function.Function<InterceptedMessage, Decision> decide) {
        return new MessageInterceptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision intercept(InterceptedMessage message) {
                return decide.apply(message);
            }
        };
    }
}
