package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter through the port, on real processes: small {@code sh} scripts for the faults, and the
 * reference server {@code @modelcontextprotocol/server-everything} in its stdio mode (pinned in
 * e2e/package.json; {@code npm ci --prefix e2e} installs it) for the real thing.
 */
class StdioUpstreamAdapterTest {

    static final Path EVERYTHING = Path.of("..", "e2e", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
            .toAbsolutePath().normalize();
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{\"roots\":{\"listChanged\":true}},\"clientInfo\":{\"name\":\"adapter-test\",\"version\":\"1\"}}}";

    private final RecordingMetrics metrics = new RecordingMetrics();
    // the real server (node) may take long to start on a loaded machine: the default 30 s; the test of
    // a silent process has its own, short start-up time
    private final StdioProcesses processes = new StdioProcesses(StdioSettings.defaults().withAnswerTimeout(Duration.ofSeconds(20)),
            metrics, "inst-a");
    private final UpstreamPort port = new StdioUpstreamAdapter(processes);

    @AfterEach
    void stop() {
        processes.close();
    }

    static UpstreamTarget target(String command, String... args) {
        return new UpstreamTarget("t", new UpstreamTransport.Stdio(command, List.of(args)));
    }

    static UpstreamTarget everything() {
        assertThat(EVERYTHING).as("npm ci --prefix e2e").exists();
        return target("node", EVERYTHING.toString(), "stdio");
    }

    static UpstreamCall call(UpstreamSession session, String json) {
        WireMessage wire = Wire.of(json);
        return new UpstreamCall(session, new JsonRpcPayload.Single(wire.message()), json.getBytes(StandardCharsets.UTF_8));
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Initializes and returns the established session. */
    private UpstreamSession open(UpstreamTarget target) {
        UpstreamReply reply = port.send(call(UpstreamSession.opening(target, ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOf(UpstreamReply.Answer.class);
        UpstreamReply.Answer answer = (UpstreamReply.Answer) reply;
        assertThat(text(answer.message())).contains("\"id\":1").contains("protocolVersion");
        assertThat(answer.session()).isPresent();
        UpstreamSession session = UpstreamSession.established(target, answer.session(), ProtocolVersion.V2025_06_18, ClientContext.NONE);
        assertThat(port.send(call(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")))
                .isInstanceOf(UpstreamReply.Accepted.class);
        return session;
    }

    private static List<String> drain(UpstreamEvents events, int max) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            switch (events.next()) {
                case UpstreamEvents.Read.Event e -> seen.add(e.event().cursor().orElse("?") + " " + e.event().data());
                case UpstreamEvents.Read.End end -> {
                    seen.add("end");
                    return seen;
                }
                case UpstreamEvents.Read.Broken broken -> {
                    seen.add("broken " + broken.reason());
                    return seen;
                }
            }
        }
        return seen;
    }

    @Test
    void serverEverythingAnswersToolsAndStreamsProgressBeforeTheAnswer() {
        UpstreamSession session = open(everything());

        UpstreamReply echo = port.send(call(session,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hi stdio\"}}}"));
        assertThat(echo).isInstanceOfSatisfying(UpstreamReply.Answer.class, a -> assertThat(text(a.message())).contains("hi stdio"));

        UpstreamReply slow = port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"trigger-long-running-operation\",\"arguments\":{\"duration\":1,\"steps\":2},\"_meta\":{\"progressToken\":\"p3\"}}}"));
        assertThat(slow).isInstanceOf(UpstreamReply.Events.class);
        try (slow) {
            List<String> seen = drain(((UpstreamReply.Events) slow).events(), 10);
            assertThat(seen).hasSize(4);
            assertThat(seen.get(0)).startsWith("r:3:1 ").contains("notifications/progress").contains("\"progress\":1");
            assertThat(seen.get(1)).startsWith("r:3:2 ").contains("\"progress\":2");
            assertThat(seen.get(2)).startsWith("r:3:3 ").contains("\"id\":3").contains("Long running operation completed");
            assertThat(seen.get(3)).isEqualTo("end");
        }

        UpstreamReply resources = port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/list\"}"));
        assertThat(resources).isInstanceOfSatisfying(UpstreamReply.Answer.class, a -> assertThat(text(a.message())).contains("\"resources\""));

        assertThat(port.end(session)).isInstanceOf(UpstreamReply.Accepted.class);
        assertThat(port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}"))).isInstanceOf(UpstreamReply.SessionGone.class);
    }

    @Test
    void aServerRequestReachesTheStandaloneStreamAndTheClientsAnswerIsAccepted() {
        UpstreamSession session = open(everything());
        UpstreamReply listen = port.listen(session);
        assertThat(listen).isInstanceOf(UpstreamReply.Events.class);
        try (listen) {
            UpstreamEvents events = ((UpstreamReply.Events) listen).events();
            String rootsRequest = null;
            for (int i = 0; i < 5 && rootsRequest == null; i++) {
                UpstreamEvents.Read read = events.next();
                assertThat(read).isInstanceOf(UpstreamEvents.Read.Event.class);
                String data = ((UpstreamEvents.Read.Event) read).event().data();
                assertThat(((UpstreamEvents.Read.Event) read).event().cursor().orElseThrow()).startsWith("s:");
                if (data.contains("roots/list")) {
                    rootsRequest = data;
                }
            }
            assertThat(rootsRequest).contains("\"id\":0");
            assertThat(port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"roots\":[]}}")))
                    .isInstanceOf(UpstreamReply.Accepted.class);
        }
        assertThat(port.resume(session, "s:3", UpstreamPort.Budget.STREAM)).isInstanceOf(UpstreamReply.Events.class);
        assertThat(port.resume(session, "r:9:1", UpstreamPort.Budget.REQUEST)).isInstanceOf(UpstreamReply.NoStream.class);
    }

    @Test
    void aCommandThatDoesNotExistIsUnreachableBeforeAnythingWasSent() {
        UpstreamReply reply = port.send(call(UpstreamSession.opening(target("no-such-mcp-server-xyz"), ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.CONNECT);
            assertThat(u.detail()).contains("no-such-mcp-server-xyz").contains("no such command");
            assertThat(u.reason()).as("for the client too").contains("cannot start 'no-such-mcp-server-xyz': no such command or working directory");
        });
    }

    @Test
    void aProcessThatExitsAtOnceIsUnreachableWithItsStatusAndLastWords() throws Exception {
        UpstreamReply reply = port.send(call(UpstreamSession.opening(target("sh", "-c", "echo 'missing API key' >&2; exit 2"),
                ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.CONNECT);
            assertThat(u.detail()).contains("exited with status 2").contains("missing API key");
            assertThat(u.reason()).contains("the upstream process exited with status 2 at start (last stderr line: missing API key)");
        });
        awaitNoProcesses();
    }

    @Test
    void aProcessThatWritesNonJsonIsAProtocolError() throws Exception {
        UpstreamReply reply = port.send(call(UpstreamSession.opening(target("sh", "-c", "echo 'Welcome to my server!'; sleep 60"),
                ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.PROTOCOL);
            assertThat(u.detail()).contains("other than JSON-RPC");
            assertThat(u.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("the upstream process wrote something other than JSON-RPC"
                    + " on stdout before its first message"));
        });
        awaitNoProcesses();
    }

    @Test
    void aProcessThatNeverAnswersInitializeTimesOutAndIsStopped() throws Exception {
        try (StdioProcesses impatient = new StdioProcesses(StdioSettings.defaults().withStartupTimeout(Duration.ofSeconds(3)), metrics, "inst-s")) {
            UpstreamReply reply = new StdioUpstreamAdapter(impatient).send(call(UpstreamSession.opening(target("sh", "-c", "cat > /dev/null"),
                    ClientContext.NONE), INITIALIZE));
            assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
                assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.TIMEOUT);
                assertThat(u.detail()).contains("did not answer initialize within 3 s");
                assertThat(u.reason()).contains("the upstream process did not answer initialize within 3 s");
            });
            awaitNoProcesses(impatient);
        }
        assertThat(metrics.seen).contains("exited t start_timeout");
    }

    @Test
    void aProcessThatDiesMidCallFailsTheCallAndThenTheSessionIsGone() throws Exception {
        String script = "read init; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\"}}'; read call; exit 9";
        UpstreamSession session = openScript(script);
        UpstreamReply reply = port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}"));
        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.DROPPED);
            assertThat(u.detail()).contains("status 9");
            assertThat(u.reason()).contains("the upstream process exited with status 9");
        });
        awaitNoProcesses();
        assertThat(port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}")))
                .isInstanceOfSatisfying(UpstreamReply.SessionGone.class, g -> assertThat(g.detail()).contains("has ended"));
        assertThat(port.listen(session)).isInstanceOf(UpstreamReply.SessionGone.class);
    }

    @Test
    void theClientIsNeverToldTheValuesOfTheConfiguredEnvironment() throws Exception {
        UpstreamTarget leaky = new UpstreamTarget("t", new UpstreamTransport.Stdio("sh", List.of("-c", "echo \"bad key $API_KEY (debug $DEBUG)\" >&2; exit 4"),
                Map.of("API_KEY", "sk-secret-123", "DEBUG", "1"), Optional.empty()));
        UpstreamReply reply = port.send(call(UpstreamSession.opening(leaky, ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.reason()).contains("the upstream process exited with status 4 at start (last stderr line: bad key ******** (debug 1))");
            assertThat(u.detail()).doesNotContain("sk-secret-123");
        });
        awaitNoProcesses();
    }

    @Test
    void anUpstreamAtItsProcessLimitSaysSo() {
        try (StdioProcesses one = new StdioProcesses(StdioSettings.defaults().withMaxProcessesPerUpstream(1), metrics, "inst-1")) {
            UpstreamPort limited = new StdioUpstreamAdapter(one);
            UpstreamTarget target = target("sh", "-c", "read init; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}'; cat > /dev/null");
            assertThat(limited.send(call(UpstreamSession.opening(target, ClientContext.NONE), INITIALIZE))).isInstanceOf(UpstreamReply.Answer.class);
            assertThat(limited.send(call(UpstreamSession.opening(target, ClientContext.NONE), INITIALIZE)))
                    .isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
                        assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.SATURATED);
                        assertThat(u.reason()).contains("upstream t already runs 1 processes (one per session), its limit");
                    });
        }
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndTheProcessIsToldToCancelIt() {
        try (StdioProcesses quick = new StdioProcesses(StdioSettings.defaults().withAnswerTimeout(Duration.ofMillis(500)), metrics, "inst-q")) {
            UpstreamPort impatient = new StdioUpstreamAdapter(quick);
            String script = "read init; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}'; read call;"
                    + " read cancel; case \"$cancel\" in *notifications/cancelled*'\"requestId\":2'*) echo '{\"jsonrpc\":\"2.0\",\"method\":\"cancel-seen\"}';; esac;"
                    + " cat > /dev/null";
            UpstreamTarget target = target("sh", "-c", script);
            UpstreamReply init = impatient.send(call(UpstreamSession.opening(target, ClientContext.NONE), INITIALIZE));
            UpstreamSession session = UpstreamSession.established(target, ((UpstreamReply.Answer) init).session(), ProtocolVersion.V2025_06_18,
                    ClientContext.NONE);
            assertThat(impatient.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}")))
                    .isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
                        assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.TIMEOUT);
                        assertThat(u.detail()).isEqualTo("the upstream process did not answer within 500 ms");
                    });
            try (UpstreamReply listen = impatient.listen(session)) {
                assertThat(drain(((UpstreamReply.Events) listen).events(), 1)).singleElement().asString().contains("cancel-seen");
            }
        }
    }

    @Test
    void aSecondRequestWithAnIdInFlightIsRefused() throws Exception {
        String script = "read init; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}'; cat > /dev/null";
        UpstreamSession session = openScript(script);
        Thread first = Thread.ofVirtual().start(() -> port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"slow\"}")));
        Thread.sleep(300);
        assertThat(port.send(call(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"slow\"}")))
                .isInstanceOfSatisfying(UpstreamReply.Refused.class, r -> assertThat(r.detail()).contains("already in flight"));
        assertThat(port.end(session)).isInstanceOf(UpstreamReply.Accepted.class);
        first.join(10_000);
        assertThat(first.isAlive()).isFalse();
    }

    @Test
    void aSessionOfAnotherInstanceIsGoneAndSaysWhere() {
        UpstreamSession foreign = UpstreamSession.established(target("cat"), Optional.of(new UpstreamSessionId("stdio.inst-b.1234")),
                ProtocolVersion.V2025_06_18, ClientContext.NONE);
        assertThat(port.send(call(foreign, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}")))
                .isInstanceOfSatisfying(UpstreamReply.SessionGone.class, g -> assertThat(g.detail()).contains("instance inst-b"));
    }

    @Test
    void aBatchIsRefused() {
        UpstreamSession session = UpstreamSession.opening(target("cat"), ClientContext.NONE);
        WireMessage ping = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        UpstreamReply reply = port.send(new UpstreamCall(session, new JsonRpcPayload.Batch(List.of(ping.message(), ping.message())),
                "[]".getBytes(StandardCharsets.UTF_8)));
        assertThat(reply).isInstanceOf(UpstreamReply.Refused.class);
    }

    private UpstreamSession openScript(String script) {
        UpstreamTarget target = target("sh", "-c", script);
        UpstreamReply reply = port.send(call(UpstreamSession.opening(target, ClientContext.NONE), INITIALIZE));
        assertThat(reply).isInstanceOf(UpstreamReply.Answer.class);
        return UpstreamSession.established(target, ((UpstreamReply.Answer) reply).session(), ProtocolVersion.V2025_06_18, ClientContext.NONE);
    }

    private void awaitNoProcesses() throws InterruptedException {
        awaitNoProcesses(processes);
    }

    private static void awaitNoProcesses(StdioProcesses processes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (processes.alive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(processes.alive()).isZero();
        assertThat(Files.exists(EVERYTHING)).isTrue();
    }
}
