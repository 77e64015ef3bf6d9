package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes ({@code sh -c}, tests only) through the whole process layer. */
class StdioProcessTest {

    /** Answers every request line with an empty result for its numeric id. */
    static final String RESPONDER = "while read line; do id=$(echo \"$line\" | sed 's/.*\"id\":\\([0-9]*\\).*/\\1/');"
            + " echo \"{\\\"jsonrpc\\\":\\\"2.0\\\",\\\"id\\\":$id,\\\"result\\\":{}}\"; done";

    private static final StdioSettings FAST = new StdioSettings(64 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofMillis(300), Duration.ofMillis(700), 20, 16, 16, 2, Duration.ofMinutes(5));

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final StdioProcesses processes = new StdioProcesses(FAST, metrics, "test-1");

    @AfterEach
    void stopAll() {
        processes.close();
    }

    static ProcessSpec sh(String script) {
        return new ProcessSpec("t", "sh", List.of("-c", script), Map.of(), Optional.empty());
    }

    private static JsonRpcMessage.Request request(WireMessage m) {
        return (JsonRpcMessage.Request) m.message();
    }

    private static StreamQueue.Item next(StreamQueue q, long token) throws InterruptedException {
        return q.poll(token, Duration.ofSeconds(15)).orElseThrow(() -> new AssertionError("nothing within 15 s"));
    }

    /** Gone from the process table: not running, and no zombie entry either. */
    static void assertGone(long pid) throws Exception {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %s alive", pid).isEmpty();
        Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid)).start();
        String stat = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        assertThat(stat).as("ps entry of %s (Z = zombie)", pid).isEmpty();
    }

    /**
     * A process that exits before its launcher returns must still leave the registry: its end was once
     * seen before it was registered, and it then held a place of the upstream's limit for good.
     */
    @Test
    void aProcessThatExitsAtOnceIsForgottenEveryTime() throws Exception {
        ProcessSpec quick = new ProcessSpec("t", "true", List.of(), Map.of(), Optional.empty());
        for (int i = 0; i < 40; i++) {
            processes.start(quick);    // the limit is 2: a leaked one makes the third start fail
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (processes.alive() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(processes.alive()).as("registered after exit, round %s", i).isZero();
            assertThat(processes.alive("t")).isZero();
        }
        assertThat(metrics.seen.stream().filter(m -> m.startsWith("exited t")).count()).isEqualTo(40);
    }

    @Test
    void aRequestIsAnsweredOnItsStreamAndStoppingClosesStdinAndReaps() throws Exception {
        StdioProcess p = processes.start(sh(RESPONDER));
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"ping\"}");
        StreamQueue stream = p.open(request(call), call.progressToken());
        long me = stream.attach();
        p.write(call.bytes());

        assertThat(next(stream, me)).isInstanceOfSatisfying(StreamQueue.Message.class,
                m -> assertThat(Wire.text(m.message())).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":41,\"result\":{}}"));
        assertThat(next(stream, me)).isInstanceOfSatisfying(StreamQueue.End.class,
                e -> assertThat(e.cause()).isEqualTo(StreamQueue.EndCause.ANSWERED));

        ProcessExit exit = processes.stop(p.session(), ProcessExit.Cause.STOPPED).orElseThrow();
        assertThat(exit.cause()).isEqualTo(ProcessExit.Cause.STOPPED);
        assertGone(p.pid());
        assertThat(processes.find(p.session())).isEmpty();
        assertThat(processes.alive("t")).isZero();
        assertThat(metrics.seen).containsExactly("started t", "exited t stopped");
    }

    @Test
    void aServerThatIgnoresEndOfInputGetsSigtermThenSigkill() throws Exception {
        StdioProcess polite = processes.start(sh("trap 'exit 0' TERM; while :; do sleep 0.1; done"));
        StdioProcess stubborn = processes.start(sh("trap '' TERM; while :; do sleep 0.1; done"));
        Thread.sleep(300);    // let both shells install their traps

        assertThat(polite.stop(ProcessExit.Cause.STOPPED).cause()).isEqualTo(ProcessExit.Cause.TERMINATED);
        assertThat(stubborn.stop(ProcessExit.Cause.STOPPED).cause()).isEqualTo(ProcessExit.Cause.KILLED);
        assertGone(polite.pid());
        assertGone(stubborn.pid());
        assertThat(metrics.seen).contains("exited t terminated", "exited t killed");
    }

    @Test
    void aProcessThatExitsAtOnceEndsItsStreamsWithItsStatusAndLastWords() throws Exception {
        StdioProcess p = processes.start(sh("echo 'cannot open config' >&2; exit 3"));
        ProcessExit exit = p.exit().get(15, TimeUnit.SECONDS);
        assertThat(exit.cause()).isEqualTo(ProcessExit.Cause.EXITED);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.detail()).contains("exited with status 3").contains("cannot open config");
        StreamQueue.Item end = next(p.standalone(), p.standalone().attach());
        assertThat(end).isInstanceOfSatisfying(StreamQueue.End.class, e -> assertThat(e.detail()).contains("status 3"));
        assertThatThrownBy(() -> p.write("{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertGone(p.pid());
    }

    @Test
    void aProcessThatDiesMidCallEndsTheCallsStream() throws Exception {
        StdioProcess p = processes.start(sh("read line; exit 7"));
        WireMessage call = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}");
        StreamQueue stream = p.open(request(call), call.progressToken());
        long me = stream.attach();
        p.write(call.bytes());
        assertThat(next(stream, me)).isInstanceOfSatisfying(StreamQueue.End.class, e -> {
            assertThat(e.cause()).isEqualTo(StreamQueue.EndCause.PROCESS_ENDED);
            assertThat(e.detail()).contains("status 7");
        });
        p.exit().get(15, TimeUnit.SECONDS);
        assertThat(processes.find(p.session())).isEmpty();
        assertGone(p.pid());
    }

    @Test
    void garbageBeforeTheFirstMessageStopsTheProcessAndItsChildren() throws Exception {
        StdioProcess p = processes.start(sh("echo 'Server listening...'; sleep 30"));
        StreamQueue.Item end = next(p.standalone(), p.standalone().attach());
        assertThat(end).isInstanceOfSatisfying(StreamQueue.End.class,
                e -> assertThat(e.detail()).contains("other than JSON-RPC"));
        ProcessExit exit = p.exit().get(15, TimeUnit.SECONDS);
        assertThat(exit.cause()).isEqualTo(ProcessExit.Cause.BROKEN);
        assertGone(p.pid());
        assertThat(metrics.seen).contains("exited t broken");
    }

    @Test
    void aLineOverTheBoundOnStdoutStopsTheProcess() throws Exception {
        StdioProcess p = processes.start(sh("head -c 100000 /dev/zero | tr '\\0' x; echo; sleep 30"));
        assertThat(p.exit().get(15, TimeUnit.SECONDS).cause()).isEqualTo(ProcessExit.Cause.BROKEN);
        assertThat(p.exit().get().detail()).contains("longer than 65536 bytes");
        assertGone(p.pid());
    }

    @Test
    void garbageAfterTheFirstMessageIsSkipped() throws Exception {
        StdioProcess p = processes.start(sh("echo '{\"jsonrpc\":\"2.0\",\"method\":\"a\"}'; echo oops;"
                + " echo '{\"jsonrpc\":\"2.0\",\"method\":\"b\"}'; cat > /dev/null"));
        long me = p.standalone().attach();
        assertThat(Wire.text(((StreamQueue.Message) next(p.standalone(), me)).message())).contains("\"a\"");
        assertThat(Wire.text(((StreamQueue.Message) next(p.standalone(), me)).message())).contains("\"b\"");
        assertThat(p.alive()).isTrue();
    }

    @Test
    void aCommandThatDoesNotExistIsAClearErrorAndCounted() throws Exception {
        ProcessSpec missing = new ProcessSpec("t", "no-such-mcp-server-xyz", List.of(), Map.of(), Optional.empty());
        assertThatThrownBy(() -> processes.start(missing))
                .isInstanceOf(StdioProcess.LaunchFailedException.class)
                .hasMessage("cannot start 'no-such-mcp-server-xyz': no such command or working directory");
        assertThat(processes.alive("t")).isZero();
        assertThat(metrics.seen).containsExactly("exited t failed_to_start");
    }

    @Test
    void theEnvironmentIsTheMinimalSetPlusTheConfiguredOnesAndTheWorkingDirectoryIsSet(@TempDir Path dir) throws Exception {
        ProcessSpec spec = new ProcessSpec("t", "sh", List.of("-c",
                "printf '{\"jsonrpc\":\"2.0\",\"method\":\"env\",\"params\":{\"foo\":\"%s\",\"javaHome\":\"%s\",\"path\":\"%s\",\"cwd\":\"%s\"}}\\n'"
                        + " \"$FOO\" \"$JAVA_HOME\" \"$PATH\" \"$(pwd)\"; cat > /dev/null"),
                Map.of("FOO", "bar baz"), Optional.of(dir));
        StdioProcess p = processes.start(spec);
        String env = Wire.text(((StreamQueue.Message) next(p.standalone(), p.standalone().attach())).message());
        assertThat(env).contains("\"foo\":\"bar baz\"").contains("\"javaHome\":\"\"")
                .contains("\"path\":\"" + System.getenv("PATH") + "\"")
                .contains("\"cwd\":\"" + dir.toRealPath() + "\"");
        assertThat(ProcessEnvironment.of(Map.of("JAVA_HOME", "/jdk", "HOME", "/h", "REDIS_PASSWORD", "s"), Map.of("HOME", "/x")))
                .isEqualTo(Map.of("HOME", "/x"));
    }

    @Test
    void aFloodOfStderrNeitherBlocksTheProcessNorTheRelay() throws Exception {
        StdioProcess p = processes.start(sh("i=0; while [ $i -lt 20000 ]; do echo flood $i >&2; i=$((i+1)); done;"
                + " echo '{\"jsonrpc\":\"2.0\",\"method\":\"done\"}'; cat > /dev/null"));
        StreamQueue.Item done = next(p.standalone(), p.standalone().attach());
        assertThat(Wire.text(((StreamQueue.Message) done).message())).contains("done");
    }

    @Test
    void theProcessLimitPerUpstreamIsKeptAndFreedWhenAProcessEnds() throws Exception {
        StdioProcess first = processes.start(sh("cat"));
        processes.start(sh("cat"));
        assertThatThrownBy(() -> processes.start(sh("cat"))).isInstanceOf(StdioProcesses.LimitReachedException.class)
                .hasMessageContaining("already runs 2 processes");
        first.stop(ProcessExit.Cause.STOPPED);
        assertThat(processes.alive("t")).isEqualTo(1);
        assertThat(processes.start(sh("cat")).alive()).isTrue();
    }

    @Test
    void aSessionIdlePastTheTimeoutLosesItsProcessButAListenerKeepsItAlive() throws Exception {
        try (StdioProcesses quick = new StdioProcesses(new StdioSettings(1024, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(300), Duration.ofMillis(300), 5, 4, 4, 4, Duration.ofMillis(400)), metrics, "test-2")) {
            StdioProcess idle = quick.start(sh("cat"));
            StdioProcess listened = quick.start(sh("cat"));
            listened.reading(1);
            assertThat(idle.exit().get(15, TimeUnit.SECONDS).cause()).isEqualTo(ProcessExit.Cause.STOPPED);
            assertGone(idle.pid());
            assertThat(listened.alive()).isTrue();
            assertThat(quick.instanceOf(listened.session())).contains("test-2");
            assertThat(quick.instanceOf("elsewhere")).isEmpty();
        }
    }

    @Test
    void closingStopsEveryProcessAndRefusesNewOnes() throws Exception {
        StdioProcess a = processes.start(sh("cat"));
        StdioProcess b = processes.start(sh("trap '' TERM; while :; do sleep 0.1; done"));
        processes.close();
        assertGone(a.pid());
        assertGone(b.pid());
        assertThat(processes.alive()).isZero();
        assertThatThrownBy(() -> processes.start(sh("cat"))).hasMessageContaining("shutting down");
    }
}
