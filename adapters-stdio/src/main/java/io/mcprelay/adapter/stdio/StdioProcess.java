package io.mcprelay.adapter.stdio;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One running stdio server, serving one relay session: its stdin writer, the reader of its stdout
 * that routes each message ({@link MessageRouter}), the pump of its stderr to the log, and its end.
 *
 * <p>Ending is always the same sequence, whoever asks (DELETE, session expiry, the relay's shutdown,
 * a protocol breach): close stdin; after {@code stdinGrace}, SIGTERM ({@link Process#destroy()});
 * after {@code termGrace}, SIGKILL ({@link Process#destroyForcibly()}); then wait for the exit, so
 * the JDK reaps it and no zombie is left. Processes the server started itself (e.g. {@code npx}
 * starting {@code node}) are signalled the same way. A process that exits on its own ends its
 * streams and tells the owner ({@code onEnd}), which ends the relay session.
 */
final class StdioProcess {

    private static final Logger LOG = System.getLogger(StdioProcess.class.getName());
    private static final Duration REAP_WAIT = Duration.ofSeconds(10);
    private static final Duration STDOUT_TO_EXIT = Duration.ofSeconds(2);
    /** In the detail of a process that wrote something else than JSON-RPC before its first message. */
    static final String NOT_JSON_RPC = "other than JSON-RPC";
    /** In the detail of a process that wrote a line over the bound. */
    static final String LINE_TOO_LONG = "a line longer than";

    private final ProcessSpec spec;
    private final String session;
    private final StdioSettings settings;
    private final Process process;
    private final LineWriter stdin;
    private final MessageRouter router;
    private final StderrLog stderr;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<ProcessExit.Cause> stopCause = new AtomicReference<>();
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final Consumer<ProcessExit> onEnd;
    private final java.util.concurrent.atomic.AtomicLong lastUsed = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private final java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread stderrPump;
    private volatile boolean spoke;
    private volatile String breach = "";

    private StdioProcess(ProcessSpec spec, String session, StdioSettings settings, Process process, Consumer<ProcessExit> onEnd) {
        this.spec = spec;
        this.session = session;
        this.settings = settings;
        this.process = process;
        this.onEnd = onEnd;
        this.stdin = new LineWriter(process.getOutputStream());
        this.router = new MessageRouter(settings.standaloneCapacity(), settings.requestCapacity(), settings.answerTimeout());
        this.stderr = StderrLog.toSystemLog(spec.upstream(), session, settings.stderrLinesPerSecond());
    }

    /** Thrown when the program cannot be started; the message says why, for the client. */
    static final class LaunchFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        LaunchFailedException(String message) {
            super(message);
        }
    }

    /**
     * Starts the program (no shell) with the minimal environment plus the configured one. Nothing
     * reads it yet: the caller registers it, then calls {@link #watch()}, so that even a process
     * that exits at once ends after it was registered, never before.
     *
     * @param onEnd told once, on a virtual thread, when the process has ended and been reaped
     */
    static StdioProcess launch(ProcessSpec spec, String session, StdioSettings settings, Consumer<ProcessExit> onEnd)
            throws LaunchFailedException {
        ProcessBuilder builder = new ProcessBuilder(spec.commandLine());
        builder.environment().clear();
        builder.environment().putAll(ProcessEnvironment.of(System.getenv(), spec.env()));
        spec.cwd().ifPresent(dir -> builder.directory(dir.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new LaunchFailedException("cannot start '" + spec.command() + "': " + reason(e));
        }
        return new StdioProcess(spec, session, settings, process, onEnd);
    }

    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("error=2,") || message.contains("error: 2 ")) {
            return "no such command or working directory";
        }
        if (message.contains("error=13,") || message.contains("error: 13 ")) {
            return "not executable (permission denied)";
        }
        return message;
    }

    /** Starts reading the process's stdout and stderr and watching for its exit; once, after {@link #launch}. */
    void watch() {
        Thread.ofVirtual().name("stdio-out-" + spec.upstream()).start(this::readStdout);
        stderrPump = Thread.ofVirtual().name("stdio-err-" + spec.upstream())
                .start(() -> stderr.pump(process.getErrorStream(), settings.maxLineBytes()));
        process.onExit().thenRun(() -> Thread.ofVirtual().start(this::ended));
    }

    private void readStdout() {
        LineReader lines = new LineReader(process.getInputStream(), settings.maxLineBytes());
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                if (line.length == 0) {
                    continue;
                }
                switch (WireMessage.read(line)) {
                    case WireMessage.Parsed parsed -> {
                        spoke = true;
                        MessageRouter.Routed routed = router.route(parsed.message());
                        if (routed.refuse() && parsed.message().message() instanceof JsonRpcMessage.Request request) {
                            stdin.write(MessageRouter.refusal(request.id(), "no client is reading this session's stream"));
                        }
                    }
                    case WireMessage.Garbage garbage -> {
                        if (!spoke) {
                            breach("wrote something " + NOT_JSON_RPC + " on stdout before its first message ("
                                    + garbage.reason() + ")");
                            return;
                        }
                        LOG.log(Level.WARNING, "upstream {0} session {1}: skipped a stdout line: {2}", spec.upstream(), session, garbage.reason());
                    }
                }
            }
        } catch (LineReader.LineTooLongException e) {
            breach("wrote " + e.getMessage() + " on stdout");
        } catch (IOException e) {
            // stdout closed under us: the process is ending, ended() says how
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // stdout ends a moment before the exit is seen: wait for it, so the streams say how it ended
        if (!waitFor(STDOUT_TO_EXIT) && !stopping.get()) {
            breach("closed its stdout but kept running");
            return;
        }
        router.closeAll(endedWhy());
    }

    private void breach(String why) {
        breach = why;
        LOG.log(Level.WARNING, "upstream {0} session {1}: {2}; stopping it", spec.upstream(), session, why);
        router.closeAll("the upstream process " + why);
        Thread.ofVirtual().start(() -> stop(ProcessExit.Cause.BROKEN));
    }

    private String endedWhy() {
        if (!breach.isEmpty()) {
            return "the upstream process " + breach;
        }
        if (stopping.get()) {
            return "the upstream process was stopped";
        }
        if (!process.isAlive()) {
            awaitStderr();    // its last words explain the exit: read them before saying why
        }
        String last = stderr.lastLine();
        String code = process.isAlive() ? "closed its stdout" : "exited with status " + process.exitValue();
        return "the upstream process " + code + (last.isBlank() ? "" : " (last stderr line: " + abbreviate(last) + ")");
    }

    private void awaitStderr() {
        try {
            stderrPump.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ended() {
        String why = endedWhy();
        router.closeAll(why);
        ProcessExit.Cause cause = stopCause.get();
        if (cause == null) {
            cause = ProcessExit.Cause.EXITED;
        }
        stdin.close();
        signalDescendants();
        ProcessExit result = new ProcessExit(cause, process.exitValue(), why);
        LOG.log(Level.INFO, "upstream {0} session {1}: process {2} ended ({3}, status {4})", spec.upstream(), session,
                process.pid(), cause.label(), process.exitValue());
        try {
            onEnd.accept(result);    // first: whoever waits on exit() then sees the registry without it
        } finally {
            exit.complete(result);
        }
    }

    /**
     * Sends one message to the process.
     *
     * @throws IOException the process is gone or its stdin is closed
     */
    void write(byte[] json) throws IOException {
        if (stopping.get() || !process.isAlive()) {
            throw new IOException(endedWhy());
        }
        stdin.write(json);
    }

    /** Opens the stream for a request about to be written; see {@link MessageRouter#open}. */
    StreamQueue open(JsonRpcMessage.Request request, Optional<String> progressToken)
            throws MessageRouter.ClosedException, MessageRouter.DuplicateIdException {
        return router.open(request, progressToken);
    }

    void forget(JsonRpcMessage.Request request, StreamQueue stream) {
        router.forget(request, stream);
    }

    StreamQueue standalone() {
        return router.standalone();
    }

    /** A call or a listener used the session now: it is not idle. */
    void touch() {
        lastUsed.set(System.nanoTime());
    }

    /** A standalone listener came ({@code +1}) or left ({@code -1}). */
    void reading(int delta) {
        readers.addAndGet(delta);
        touch();
    }

    /**
     * Whether the session has been idle for {@code idle}: no call, no listener, no request pending.
     * An expired relay session stops sending; this is how its process learns of it.
     */
    boolean idleFor(Duration idle, long nowNanos) {
        return readers.get() == 0 && router.pendingCount() == 0 && nowNanos - lastUsed.get() >= idle.toNanos();
    }

    boolean alive() {
        return process.isAlive() && !stopping.get();
    }

    long pid() {
        return process.pid();
    }

    String upstream() {
        return spec.upstream();
    }

    /** {@code text} fit for the client: without the values of the configured environment ({@link ProcessEnvironment#redact}). */
    String redacted(String text) {
        return ProcessEnvironment.redact(text, spec.env());
    }

    String session() {
        return session;
    }

    CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    /**
     * Ends the process (see the class comment) and blocks until it has exited and been reaped.
     * Idempotent: a second call waits for the first.
     *
     * @param cause why, when the process exits after stdin closed: {@link ProcessExit.Cause#STOPPED},
     *              {@link ProcessExit.Cause#BROKEN}, {@link ProcessExit.Cause#START_TIMEOUT}; the
     *              recorded cause becomes {@code TERMINATED} or {@code KILLED} if a signal was needed
     *              (unless it is BROKEN or START_TIMEOUT, which say more)
     */
    ProcessExit stop(ProcessExit.Cause cause) {
        if (stopping.compareAndSet(false, true)) {
            stopCause.set(cause);
            List<ProcessHandle> children = process.descendants().toList();
            stdin.close();
            if (!waitFor(settings.stdinGrace())) {
                if (cause == ProcessExit.Cause.STOPPED) {
                    stopCause.set(ProcessExit.Cause.TERMINATED);
                }
                process.destroy();
                children.forEach(ProcessHandle::destroy);
                if (!waitFor(settings.termGrace())) {
                    if (cause == ProcessExit.Cause.STOPPED) {
                        stopCause.set(ProcessExit.Cause.KILLED);
                    }
                    process.destroyForcibly();
                }
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            waitFor(REAP_WAIT);
        }
        try {
            return exit.get(REAP_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new ProcessExit(stopCause.get(), -1, "still exiting: " + e);
        }
    }

    /** After the process exited: its own children that outlived it are stopped too. */
    private void signalDescendants() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private boolean waitFor(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
