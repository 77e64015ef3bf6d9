package io.mcprelay.adapter.stdio;

import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTransport;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The upstream port for stdio upstreams: each relay session has its own server process, started by
 * its {@code initialize} and named by an upstream session id the adapter makes up (the process has
 * none of its own). Replies:
 * <ul>
 *   <li>a request waits for the first message the process sends for it: its answer is an
 *       {@link UpstreamReply.Answer}; a notification first (progress) makes the reply an
 *       {@link UpstreamReply.Events} stream that ends with the answer;</li>
 *   <li>notifications and responses (e.g. to a sampling request) are {@link UpstreamReply.Accepted}
 *       once written;</li>
 *   <li>{@link #listen} is the session's standalone stream (server requests, other notifications);</li>
 *   <li>{@link #resume} re-attaches to a stream that is still live in the process (the standalone
 *       one, or a request not answered yet); a process keeps no history, so what was sent before is
 *       the relay's replay log's to give, and a finished stream is {@link UpstreamReply.NoStream};</li>
 *   <li>{@link #end} stops the process (stdin closed, SIGTERM, SIGKILL) and waits for it.</li>
 * </ul>
 * A process that has ended, or one that lives on another relay instance, is {@link UpstreamReply.SessionGone}:
 * the client initializes again. Batches are refused: stdio MCP has none since 2025-06-18.
 */
public final class StdioUpstreamAdapter implements UpstreamPort {

    private static final String STANDALONE_CURSOR = "s:";
    private static final String REQUEST_CURSOR = "r:";

    private final StdioProcesses processes;

    public StdioUpstreamAdapter(StdioProcesses processes) {
        this.processes = processes;
    }

    @Override
    public UpstreamReply send(UpstreamCall call) {
        if (!(call.session().target().transport() instanceof UpstreamTransport.Stdio stdio)) {
            return new UpstreamReply.Unreachable(Cause.CONNECT, "upstream " + call.session().target().name() + " is not a stdio upstream");
        }
        if (!(call.payload() instanceof JsonRpcPayload.Single)) {
            return new UpstreamReply.Refused(Optional.empty(), "a stdio upstream takes one message at a time, not a batch", false,
                    TransportEcho.NONE);
        }
        WireMessage message;
        switch (WireMessage.read(call.bytes())) {
            case WireMessage.Parsed parsed -> message = parsed.message();
            case WireMessage.Garbage garbage -> {
                return new UpstreamReply.Refused(Optional.empty(), "not a JSON-RPC message: " + garbage.reason(), false, TransportEcho.NONE);
            }
        }
        if (call.session().id().isEmpty()) {
            return message.message().isInitialize()
                    ? initialize(spec(call.session().target().name(), stdio), message)
                    : new UpstreamReply.SessionGone("no stdio process for a session that was never initialized");
        }
        Optional<StdioProcess> process = processes.find(call.session().id().get().value());
        if (process.isEmpty()) {
            return gone(call.session());
        }
        return deliver(process.get(), message, processes.settings().answerTimeout(), Optional.empty());
    }

    private UpstreamReply initialize(ProcessSpec spec, WireMessage initialize) {
        StdioProcess process;
        try {
            process = processes.start(spec);
        } catch (StdioProcess.LaunchFailedException e) {
            return unreachable(Cause.CONNECT, ProcessEnvironment.redact(e.getMessage(), spec.env()));
        } catch (StdioProcesses.LimitReachedException e) {
            return unreachable(Cause.SATURATED, e.getMessage());
        }
        UpstreamReply reply = deliver(process, initialize, processes.settings().startupTimeout(),
                Optional.of(new UpstreamSessionId(process.session())));
        boolean started = reply instanceof UpstreamReply.Events
                || reply instanceof UpstreamReply.Answer answer && !isError(answer.message());
        if (!started) {
            Thread.ofVirtual().start(() -> process.stop(reply instanceof UpstreamReply.Unreachable u && u.cause() == Cause.TIMEOUT
                    ? ProcessExit.Cause.START_TIMEOUT : ProcessExit.Cause.STOPPED));
            if (reply instanceof UpstreamReply.Answer answer) {
                return new UpstreamReply.Answer(answer.message(), Optional.empty(), TransportEcho.NONE);
            }
        }
        return reply;
    }

    /** Writes one message; for a request, waits up to {@code wait} for the first message that answers it. */
    private UpstreamReply deliver(StdioProcess process, WireMessage wire, Duration wait, Optional<UpstreamSessionId> opened) {
        process.touch();
        if (!(wire.message() instanceof JsonRpcMessage.Request request)) {
            try {
                process.write(wire.bytes());
                return new UpstreamReply.Accepted(TransportEcho.NONE);
            } catch (IOException e) {
                return new UpstreamReply.SessionGone(lost(process, e));
            }
        }
        StreamQueue stream;
        try {
            stream = process.open(request, wire.progressToken());
        } catch (MessageRouter.DuplicateIdException e) {
            return new UpstreamReply.Refused(Optional.empty(), e.getMessage(), false, TransportEcho.NONE);
        } catch (MessageRouter.ClosedException e) {
            // closed before the request could be opened: e.g. garbage on stdout ahead of initialize,
            // whose stop runs on its own thread, so the process may still look alive here
            return opened.isPresent() ? failedToStart(process, e.getMessage()) : new UpstreamReply.SessionGone(e.getMessage());
        }
        long token = stream.attach();
        try {
            process.write(wire.bytes());
            Optional<StreamQueue.Item> first = stream.poll(token, wait);
            if (first.isEmpty()) {
                process.forget(request, stream);
                cancel(process, request.id(), "no answer within " + describe(wait));
                String what = opened.isPresent() ? "did not answer initialize within " : "did not answer within ";
                return unreachable(Cause.TIMEOUT, "the upstream process " + what + describe(wait));
            }
            return switch (first.get()) {
                case StreamQueue.Message m when isAnswer(m.message()) -> {
                    process.forget(request, stream);
                    yield new UpstreamReply.Answer(m.message().bytes(), opened, TransportEcho.NONE);
                }
                case StreamQueue.Message m -> new UpstreamReply.Events(new QueuedEvents(stream, token,
                        REQUEST_CURSOR + request.id().toJson() + ":", first, () -> process.forget(request, stream)), opened, TransportEcho.NONE);
                case StreamQueue.End end -> {
                    process.forget(request, stream);
                    yield ended(process, end, opened.isPresent());
                }
            };
        } catch (IOException e) {
            process.forget(request, stream);
            String why = lost(process, e);
            return opened.isPresent() ? failedToStart(process, why) : new UpstreamReply.SessionGone(why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.forget(request, stream);
            return unreachable(Cause.DROPPED, "interrupted while waiting for the upstream process");
        }
    }

    /**
     * Why a write failed: a broken pipe means the process is exiting; its exit (status, last stderr
     * line) says more than the pipe, so it is awaited briefly.
     */
    private static String lost(StdioProcess process, IOException e) {
        try {
            return process.exit().get(2, java.util.concurrent.TimeUnit.SECONDS).detail();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return String.valueOf(e.getMessage());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
            return String.valueOf(e.getMessage());
        }
    }

    /** What a request gets when its stream ended before any message: the process ended under it. */
    private static UpstreamReply ended(StdioProcess process, StreamQueue.End end, boolean starting) {
        return starting ? failedToStart(process, end.detail()) : unreachable(Cause.DROPPED, process.redacted(end.detail()));
    }

    /**
     * A process that ended before answering initialize never became a server: nothing to keep, and
     * another try (elsewhere) is safe. One that broke the protocol says so.
     */
    private static UpstreamReply failedToStart(StdioProcess process, String detail) {
        boolean broken = detail.contains(StdioProcess.NOT_JSON_RPC) || detail.contains(StdioProcess.LINE_TOO_LONG);
        return unreachable(broken ? Cause.PROTOCOL : Cause.CONNECT, process.redacted(broken ? detail : atStart(detail)));
    }

    /** "the upstream process exited with status 3 at start (last stderr line: ...)": where the exit happened, before its last words. */
    static String atStart(String detail) {
        int lastWords = detail.indexOf(" (last stderr line: ");
        return lastWords < 0 ? detail + " at start" : detail.substring(0, lastWords) + " at start" + detail.substring(lastWords);
    }

    /**
     * Unreachable, with {@code reason} for the client as well as for the log: the adapter's texts
     * name the process, its exit status, its last stderr line (without the configured environment's
     * values) and the bounds it broke, never a host or a secret.
     */
    private static UpstreamReply unreachable(Cause cause, String reason) {
        return new UpstreamReply.Unreachable(cause, reason, Optional.of(reason));
    }

    /** Tells the process to stop working on a request nobody waits for any more (MCP's cancellation). */
    private static void cancel(StdioProcess process, RequestId id, String reason) {
        String note = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id.toJson()
                + ",\"reason\":" + new RequestId.StringId(reason).toJson() + "}}";
        try {
            process.write(note.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the process is gone: nothing left to cancel
        }
    }

    @Override
    public UpstreamReply listen(UpstreamSession session) {
        Optional<StdioProcess> process = session.id().flatMap(id -> processes.find(id.value()));
        if (process.isEmpty()) {
            return gone(session);
        }
        return standalone(process.get());
    }

    private static UpstreamReply standalone(StdioProcess process) {
        process.touch();
        StreamQueue queue = process.standalone();
        long token = queue.attach();
        process.reading(1);
        return new UpstreamReply.Events(new QueuedEvents(queue, token, STANDALONE_CURSOR, Optional.empty(), () -> {
            queue.release(token);
            process.reading(-1);
        }), Optional.empty(), TransportEcho.NONE);
    }

    @Override
    public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        Optional<StdioProcess> process = session.id().flatMap(id -> processes.find(id.value()));
        if (process.isEmpty()) {
            return gone(session);
        }
        if (cursor.startsWith(STANDALONE_CURSOR)) {
            return standalone(process.get());
        }
        return new UpstreamReply.NoStream("a stdio process keeps no history and this request's stream is not open in it any more"
                + " (cursor " + cursor + "); what was sent is in the relay's replay log");
    }

    @Override
    public UpstreamReply end(UpstreamSession session) {
        Optional<ProcessExit> exit = session.id().flatMap(id -> processes.stop(id.value(), ProcessExit.Cause.STOPPED));
        return exit.isPresent() ? new UpstreamReply.Accepted(TransportEcho.NONE) : gone(session);
    }

    private UpstreamReply gone(UpstreamSession session) {
        String id = session.id().map(UpstreamSessionId::value).orElse("");
        Optional<String> elsewhere = processes.instanceOf(id).filter(instance -> !instance.equals(processes.instance()));
        return new UpstreamReply.SessionGone(elsewhere
                .map(instance -> "this session's stdio process runs on relay instance " + instance + ", not on this one (" + processes.instance()
                        + "); initialize again")
                .orElse("this session's stdio process has ended; initialize again"));
    }

    private static ProcessSpec spec(String upstream, UpstreamTransport.Stdio stdio) {
        return new ProcessSpec(upstream, stdio.command(), stdio.args(), stdio.env(), stdio.cwd().map(Path::of));
    }

    private static String describe(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    private static boolean isAnswer(WireMessage message) {
        return message.message() instanceof JsonRpcMessage.Response || message.message() instanceof JsonRpcMessage.ErrorResponse;
    }

    private static boolean isError(byte[] message) {
        return WireMessage.read(message) instanceof WireMessage.Parsed p && p.message().message() instanceof JsonRpcMessage.ErrorResponse;
    }
}
