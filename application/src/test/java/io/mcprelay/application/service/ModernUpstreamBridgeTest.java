package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.Messages;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayCommands;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.BridgedSession;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bridge (a): a 2025-era client in front of an upstream that serves only 2026-07-28. */
class ModernUpstreamBridgeTest {

    /** A thread per concurrent client (the common pool may have one thread on a small machine). */
    private static final java.util.concurrent.Executor THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    static final String DISCOVER = "{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-bridge-discover\",\"result\":{\"supportedVersions\":[\"2026-07-28\"],"
            + "\"capabilities\":{\"tools\":{\"listChanged\":true},\"extensions\":{}},\"instructions\":\"hi\",\"ttlMs\":0,\"cacheScope\":\"private\","
            + "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"v2\",\"version\":\"2.4.0\"}}}}";
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{\"elicitation\":{}},\"clientInfo\":{\"name\":\"v1-client\",\"version\":\"1.0\"}}}";

    private static RelayHarness harness(UpstreamEra era) {
        return RelayHarness.builder().era(era).bridgeToModern().build();
    }

    static String body(ScriptedUpstream.Sent sent) {
        return new String(sent.body(), StandardCharsets.UTF_8);
    }

    /** Opens a bridged session on a harness whose upstream is configured modern; returns its id. */
    static String open(RelayHarness relay) {
        relay.upstream().thenAnswer(UpstreamReplies.json(DISCOVER));
        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());
        assertThat(client.answer()).as(client.bodyText()).isEqualTo(RecordingDownstream.Answer.JSON);
        return client.head().sessionId().orElseThrow().value();
    }

    static RelayCommands.Post inSession(String sessionId, String body) {
        return aPost(body).inSession(sessionId).withProtocolVersion("2025-11-25");
    }

    private static String id(ScriptedUpstream.Sent sent) {
        return body(sent).replaceAll("^\\{\"jsonrpc\":\"2.0\",\"id\":(\"[^\"]*\"|\\d+).*", "$1");
    }

    @Test
    void initializeIsAnsweredFromTheUpstreamsDiscoverAndOpensASessionOfTheRelaysOwn() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        relay.upstream().thenAnswer(UpstreamReplies.json(DISCOVER));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{\"tools\":{\"listChanged\":true}},\"serverInfo\":{\"name\":\"v2\",\"version\":\"2.4.0\"},\"instructions\":\"hi\"}}");
        ScriptedUpstream.Sent discover = relay.upstream().onlyRequest();
        assertThat(body(discover)).contains("\"method\":\"server/discover\"").contains("\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"")
                .contains("\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}")
                .contains("\"io.modelcontextprotocol/clientInfo\":{\"name\":\"v1-client\"");
        assertThat(discover.sessionId()).isEmpty();
        assertThat(discover.client()).containsEntry("MCP-Protocol-Version", "2026-07-28").containsEntry("Mcp-Method", "server/discover");
        Session session = relay.sessions().stored().getFirst();
        assertThat(session.id()).isEqualTo(client.head().sessionId().orElseThrow());
        assertThat(session.protocolVersion().value()).isEqualTo("2025-11-25");
        assertThat(session.client().name()).isEqualTo("v1-client");
        assertThat(BridgedSession.fromSlot(session.upstreamSessionId()).orElseThrow().capabilities().toJson()).isEqualTo("{\"elicitation\":{}}");
    }

    @Test
    void anAutoUpstreamThatRefusesInitializeWithAModernErrorIsProbedAndBridged() {
        RelayHarness relay = harness(UpstreamEra.AUTO);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32022,"
                        + "\"message\":\"Unsupported protocol version\",\"data\":{\"supported\":[\"2026-07-28\"]}}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"result\":{\"supportedVersions\":[\"2026-07-28\"]}}"))
                .thenAnswer(UpstreamReplies.json(DISCOVER));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.bodyText()).contains("\"protocolVersion\":\"2025-11-25\"");
        assertThat(client.head().sessionId()).isPresent();
        assertThat(relay.upstream().requestCount()).isEqualTo(3);
        assertThat(relay.catalog().eraOf("primary")).contains("auto: modern (2026-07-28)");
    }

    @Test
    void aDualUpstreamsRefusalIsRelayedAsItCame() {
        RelayHarness relay = harness(UpstreamEra.AUTO);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32022,\"message\":\"no\"}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"result\":{\"supportedVersions\":[\"2026-07-28\",\"2025-11-25\"]}}"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.answer()).isEqualTo(RecordingDownstream.Answer.REFUSED);
        assertThat(client.bodyText()).contains("-32022");
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void anotherRefusalIsNotProbed() {
        RelayHarness relay = harness(UpstreamEra.AUTO);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32600,\"message\":\"no\"}}"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.bodyText()).contains("-32600");
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void aDiscoverThatFailsIsABadGatewayForTheInitialize() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(500, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"x\"}}"));

        RecordingDownstream client = relay.post(aPost(INITIALIZE).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().detail()).contains("server/discover");
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void aDiscoverResultWithATtlIsKept() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String cached = DISCOVER.replace("\"ttlMs\":0", "\"ttlMs\":60000");
        relay.upstream().thenAnswer(UpstreamReplies.json(cached));

        relay.post(aPost(INITIALIZE).build());
        RecordingDownstream second = relay.post(aPost(INITIALIZE).build());

        assertThat(second.answer()).isEqualTo(RecordingDownstream.Answer.JSON);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void pingInitializedAndSetLevelAreAnsweredHereAndTheLevelTravelsWithLaterRequests() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);

        RecordingDownstream initialized = relay.post(inSession(session, Messages.notification("notifications/initialized")).build());
        RecordingDownstream ping = relay.post(inSession(session, Messages.request("1", "ping")).build());
        RecordingDownstream level = relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}").build());
        RecordingDownstream noLevel = relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"logging/setLevel\",\"params\":{}}").build());
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"prompts\":[],\"resultType\":\"complete\","
                + "\"ttlMs\":0,\"cacheScope\":\"private\"}}"));
        RecordingDownstream list = relay.post(inSession(session, Messages.request("4", "prompts/list")).build());

        assertThat(initialized.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(ping.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        assertThat(level.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
        assertThat(noLevel.bodyText()).contains("-32602");
        assertThat(list.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"prompts\":[]}}");
        ScriptedUpstream.Sent sent = relay.upstream().requests().getLast();
        assertThat(body(sent)).contains("\"io.modelcontextprotocol/logLevel\":\"debug\"").contains("\"id\":4");
        assertThat(sent.sessionId()).isEmpty();
        assertThat(sent.client()).containsEntry("MCP-Protocol-Version", "2026-07-28").containsEntry("Mcp-Method", "prompts/list")
                .doesNotContainKey("Mcp-Session-Id");
        assertThat(relay.upstream().requestCount()).isEqualTo(2); // discover, prompts/list
    }

    @Test
    void toolHeadersAreLearntFromToolsListAndTravelAsMcpParamHeaders() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"route\","
                        + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"}}}},"
                        + "{\"name\":\"broken\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"x-mcp-header\":\"N\"}}}}],"
                        + "\"ttlMs\":0,\"cacheScope\":\"private\"}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[],\"resultType\":\"complete\"}}"));

        RecordingDownstream list = relay.post(inSession(session, Messages.request("1", "tools/list")).build());
        RecordingDownstream call = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"route\",\"arguments\":{\"region\":\"Zürich\"}}}").build());

        assertThat(list.bodyText()).contains("\"name\":\"route\"").doesNotContain("broken").doesNotContain("ttlMs");
        assertThat(call.answer()).isEqualTo(RecordingDownstream.Answer.EVENT_STREAM); // a tool call may need input: a stream from the start
        assertThat(data(call)).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}");
        ScriptedUpstream.Sent sent = relay.upstream().requests().getLast();
        assertThat(sent.client()).containsEntry("Mcp-Method", "tools/call").containsEntry("Mcp-Name", "route")
                .containsEntry("Mcp-Param-Region", "=?base64?WsO8cmljaA==?=");
    }

    @Test
    void aHeaderMismatchListsTheToolsAgainAndRetriesOnce() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32020,\"message\":\"header\"}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-tools-0\",\"result\":{\"tools\":[{\"name\":\"route\","
                        + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"}}}}],"
                        + "\"nextCursor\":\"p2\"}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-tools-1\",\"result\":{\"tools\":[]}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}"));

        RecordingDownstream call = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"route\",\"arguments\":{\"region\":\"eu\"}}}").build());

        assertThat(data(call)).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}");
        List<ScriptedUpstream.Sent> sent = relay.upstream().requests();
        assertThat(body(sent.get(3))).contains("\"cursor\":\"p2\"");
        assertThat(sent.getLast().client()).containsEntry("Mcp-Param-Region", "eu");
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void anUpstreamErrorIsRelayedAsItCame() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(404, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"nope\"}}"));

        RecordingDownstream client = relay.post(inSession(session, Messages.request("1", "completion/complete")).build());

        assertThat(client.answer()).isEqualTo(RecordingDownstream.Answer.REFUSED);
        assertThat(client.bodyText()).contains("-32601");
    }

    @Test
    void aBatchIsRefused() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);

        RecordingDownstream client = relay.post(aPost("[" + Messages.request("1", "tools/list") + "," + Messages.request("2", "tools/list") + "]")
                .inSession(session).withProtocolVersion("2025-03-26").build());

        assertThat(client.rejection().reason()).isIn(RejectionReason.INVALID_MESSAGE, RejectionReason.BATCH_NOT_ALLOWED);
    }

    @Test
    void anInputRequiredResultBecomesAnElicitationOnThePostsStreamAndTheAnswerIsSentUpstreamInARetry() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"resultType\":\"input_required\","
                        + "\"inputRequests\":{\"form\":{\"method\":\"elicitation/create\",\"params\":{\"message\":\"name?\",\"requestedSchema\":{}}}},"
                        + "\"requestState\":\"s1\"}}"))
                .thenAnswer(sent -> UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":\"other\",\"result\":{}}",
                        "not json",
                        "{\"jsonrpc\":\"2.0\",\"id\":" + id(sent) + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Ada\"}],"
                                + "\"resultType\":\"complete\"}}")));
        CountDownLatch asked = new CountDownLatch(1);
        RecordingDownstream stream = new RecordingDownstream().onEmit(e -> {
            if (e.data().contains("elicitation/create")) {
                asked.countDown();
            }
        });

        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\",\"arguments\":{}}}").build(), stream), THREADS);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        String question = stream.eventData().stream().filter(d -> d.contains("elicitation/create")).findFirst().orElseThrow();
        String ourId = question.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        RecordingDownstream stray = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":\"unknown\",\"result\":{}}").build());
        RecordingDownstream answer = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":\"" + ourId
                + "\",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}").build());
        call.get(5, TimeUnit.SECONDS);

        assertThat(stray.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(answer.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(question).contains("\"method\":\"elicitation/create\"").contains("\"message\":\"name?\"");
        assertThat(stream.eventData().getLast()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Ada\"}]}}");
        assertThat(stream.eventData()).anyMatch(d -> d.contains("notifications/progress")).noneMatch(d -> d.contains("\"other\""));
        assertThat(stream.events().getLast().id()).isPresent(); // proxy event ids: the session path's log
        String retry = body(relay.upstream().requests().getLast());
        assertThat(retry).containsPattern("\"id\":\"mcp-relay-[0-9a-z]+-retry-1\"").contains("\"inputResponses\":{\"form\":{\"action\":\"accept\"")
                .contains("\"requestState\":\"s1\"").contains("\"name\":\"ask\"");
    }

    @Test
    void aClientsErrorDeclinesTheElicitation() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"resultType\":\"input_required\","
                        + "\"inputRequests\":{\"form\":{\"method\":\"elicitation/create\",\"params\":{}}}}}"))
                .thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"error\":{\"code\":-32602,\"message\":\"bad\"}}"));
        CountDownLatch asked = new CountDownLatch(1);
        RecordingDownstream stream = new RecordingDownstream().onEmit(e -> {
            if (e.data().contains("elicitation/create")) {
                asked.countDown();
            }
        });

        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}").build(), stream), THREADS);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        String ourId = data(stream).getFirst().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":\"" + ourId + "\",\"error\":{\"code\":-1,\"message\":\"no\"}}").build());
        call.get(5, TimeUnit.SECONDS);

        assertThat(body(relay.upstream().requests().getLast())).contains("\"inputResponses\":{\"form\":{\"action\":\"decline\"}}");
        assertThat(stream.eventData().getLast()).contains("\"id\":5").contains("-32602");
    }

    @Test
    void cancelledClosesTheUpstreamStreamOfThatRequest() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        BlockingEventSource upstream = new BlockingEventSource();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(upstream));

        CompletableFuture<RecordingDownstream> call = CompletableFuture.supplyAsync(() -> relay.post(inSession(session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}").build()), THREADS);
        awaitRequests(relay, 2);
        Thread.sleep(50);
        RecordingDownstream cancel = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                + "\"params\":{\"requestId\":7}}").build());

        assertThat(cancel.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(upstream.awaitClosed(5_000)).isTrue();
        call.get(5, TimeUnit.SECONDS);
    }

    @Test
    void theGetStreamReadsAListenStreamWithoutItsAcknowledgementAndSubscriptionsReopenIt() throws Exception {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        BlockingEventSource first = new BlockingEventSource()
                .push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}")
                .push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":{\"_meta\":{"
                        + "\"io.modelcontextprotocol/subscriptionId\":\"l1\"}}}");
        BlockingEventSource second = new BlockingEventSource()
                .push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}")
                .push("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":\"file:///a\","
                        + "\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":\"l2\",\"other\":1}}}");
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(first)).thenAnswer(UpstreamReplies.eventStream(second));
        CountDownLatch one = new CountDownLatch(1);
        CountDownLatch two = new CountDownLatch(2);
        RecordingDownstream get = new RecordingDownstream().onEmit(e -> {
            if (!e.data().isEmpty()) {
                one.countDown();
                two.countDown();
            }
        });

        CompletableFuture<RecordingDownstream> stream = CompletableFuture.supplyAsync(() -> relay.get(new OpenStreamCommand(Optional.of(session),
                Optional.of("2025-11-25"), Optional.empty(), Map.of(), io.mcprelay.domain.session.ClientKey.UNKNOWN), get), THREADS);
        assertThat(one.await(5, TimeUnit.SECONDS)).isTrue();
        RecordingDownstream subscribe = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"resources/subscribe\","
                + "\"params\":{\"uri\":\"file:///a\"}}").build());
        assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
        RecordingDownstream end = relay.delete(RelayCommands.aDelete().inSession(session).withProtocolVersion("2025-11-25").build());
        stream.get(5, TimeUnit.SECONDS);

        assertThat(subscribe.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}");
        assertThat(get.eventData().stream().filter(d -> !d.isEmpty()).toList()).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":\"file:///a\",\"_meta\":{\"other\":1}}}");
        ScriptedUpstream.Sent listen = relay.upstream().requests().get(1);
        assertThat(listen.budget()).isEqualTo(UpstreamPort.Budget.STREAM);
        assertThat(body(listen)).contains("\"method\":\"subscriptions/listen\"").contains("\"toolsListChanged\":true")
                .doesNotContain("resourceSubscriptions");
        assertThat(body(relay.upstream().requests().get(2))).contains("\"resourceSubscriptions\":[\"file:///a\"]");
        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isTrue();
        assertThat(end.answer()).isEqualTo(RecordingDownstream.Answer.ENDED);
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).isEmpty(); // nothing to end upstream
        assertThat(relay.bridgeToModern().orElseThrow().listening(new ProxySessionId(session))).isZero();
    }

    @Test
    void anUpstreamWithoutListenGivesNoGetStream() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"no\"}}"));

        RecordingDownstream get = relay.get(new OpenStreamCommand(Optional.of(session), Optional.of("2025-11-25"), Optional.empty(), Map.of(),
                io.mcprelay.domain.session.ClientKey.UNKNOWN));

        assertThat(get.rejection().reason()).isEqualTo(RejectionReason.STREAM_NOT_OFFERED);
    }

    @Test
    void unsubscribingAndBadSubscriptionsAreAnswered() {
        RelayHarness relay = harness(UpstreamEra.MODERN);
        String session = open(relay);

        RecordingDownstream noUri = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/subscribe\",\"params\":{}}").build());
        RecordingDownstream sub = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/subscribe\","
                + "\"params\":{\"uri\":\"a:b\"}}").build());
        RecordingDownstream unsub = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/unsubscribe\","
                + "\"params\":{\"uri\":\"a:b\"}}").build());
        RecordingDownstream tooLong = relay.post(inSession(session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/subscribe\","
                + "\"params\":{\"uri\":\"a:" + "x".repeat(900) + "\"}}").build());

        assertThat(noUri.bodyText()).contains("-32602");
        assertThat(sub.bodyText()).contains("\"result\":{}");
        assertThat(unsub.bodyText()).contains("\"result\":{}");
        assertThat(tooLong.bodyText()).contains("-32602").contains("subscriptions");
        Session stored = relay.sessions().stored().getFirst();
        assertThat(BridgedSession.fromSlot(stored.upstreamSessionId()).orElseThrow().subscriptions()).isEmpty();
    }

    /** The events' data without the priming event a 2025-11-25 stream starts with. */
    static List<String> data(RecordingDownstream client) {
        return client.eventData().stream().filter(d -> !d.isEmpty()).toList();
    }

    static void awaitRequests(RelayHarness relay, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (relay.upstream().requestCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(relay.upstream().requestCount()).isGreaterThanOrEqualTo(count);
    }
}
