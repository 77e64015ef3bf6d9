package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamEvent;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.InputRound;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One request of a bridged (a) session as the relay reads it: the modern upstream's answer to it, turned into
 * what a 2025-era client expects, as a stream of events (so that the session path logs it under proxy event ids
 * and replays it as any other stream). The final answer gets the client's request id back and loses the modern
 * result fields; notifications pass as they come.
 *
 * <p>An {@code input_required} result (multi round-trip requests) is not passed on: each of its
 * {@code inputRequests} becomes a JSON-RPC request to the client on this stream (our ids), the client's POSTed
 * answers come back through {@link #answer}, and once all are in, the request is sent upstream again (a new
 * id, {@code inputResponses}, the {@code requestState} echoed) and its answer read on: at most
 * {@link #MAX_ROUNDS} rounds, each waiting at most {@link #ROUND_WAIT} for the client. {@link #close()} (the
 * client cancelled, the session ended, the relay let the stream go) closes the upstream stream, which is the
 * modern era's cancellation.
 */
final class BridgedCall implements UpstreamEvents {

    static final int MAX_ROUNDS = 8;
    static final Duration ROUND_WAIT = Duration.ofMinutes(5);

    /** Where the call's ids live, so that the client's answers and cancellations find it. */
    interface Registry {
        void register(String ourId, BridgedCall call);

        void unregister(String ourId);
    }

    private final JsonValue clientId;
    private final String method;
    private final Function<JsonValue.Obj, UpstreamReply> resend;
    private final Function<JsonValue.Obj, JsonValue.Obj> forClient;
    private final Registry registry;
    private final String idPrefix;
    private final ArrayDeque<UpstreamEvent> pending = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Duration roundWait;
    private JsonValue.Obj request;
    private volatile UpstreamEvents source;
    private JsonValue upstreamId;
    private InputRound round;
    private int rounds;
    private volatile boolean closed;
    private boolean done;
    /** Set by {@link #endRound}: why the open round ends without the client's answers. */
    private String ended;

    /**
     * @param request   the request as first sent upstream (envelope included), with the client's id
     * @param source    the upstream's answer to it, as events
     * @param resend    sends a retry of the request upstream
     * @param forClient what an upstream result becomes for the client (modern fields dropped, tools learnt)
     * @param idPrefix  makes our server-to-client request ids unique in the session
     */
    BridgedCall(JsonValue.Obj request, UpstreamEvents source, Function<JsonValue.Obj, UpstreamReply> resend,
                Function<JsonValue.Obj, JsonValue.Obj> forClient, Registry registry, String idPrefix, Duration roundWait) {
        this.request = request;
        this.clientId = request.get("id").orElseThrow();
        this.upstreamId = clientId;
        this.method = request.str("method").orElse("");
        this.source = source;
        this.resend = resend;
        this.forClient = forClient;
        this.registry = registry;
        this.idPrefix = idPrefix;
        this.roundWait = roundWait;
    }

    /** An upstream's JSON answer as a stream of one event (the bridge answers MRTR-capable requests with a stream). */
    static UpstreamEvents single(byte[] json) {
        return new UpstreamEvents() {
            private boolean read;

            @Override
            public Read next() {
                if (read) {
                    return new Read.End();
                }
                read = true;
                return new Read.Event(UpstreamEvent.message(new String(json, StandardCharsets.UTF_8)));
            }

            @Override
            public void close() {
                read = true;
            }
        };
    }

    @Override
    public Read next() {
        while (true) {
            if (!pending.isEmpty()) {
                return new Read.Event(pending.poll());
            }
            if (done || closed) {
                return new Read.End();
            }
            if (round != null) {
                Optional<Read> waited = awaitRound();
                if (waited.isPresent()) {
                    return waited.get();
                }
                continue;
            }
            Read read = source.next();
            if (!(read instanceof Read.Event event) || event.event().data().isEmpty()) {
                return read;
            }
            Optional<JsonValue.Obj> message = parse(event.event().data());
            if (message.isEmpty()) {
                continue;
            }
            JsonValue.Obj m = message.get();
            boolean answer = m.get("method").isEmpty() && upstreamId.equals(m.get("id").orElse(null));
            if (!answer) {
                if (m.get("method").isPresent() && m.get("id").isEmpty()) {
                    return new Read.Event(UpstreamEvent.message(m.toJson())); // a notification: progress, a log message
                }
                continue; // a modern server sends no requests on a stream; answers to other ids are not ours
            }
            Optional<JsonValue.Obj> result = m.obj("result");
            if (result.isPresent() && result.get().str("resultType").filter("input_required"::equals).isPresent()) {
                openRound(result.get());
                continue;
            }
            done = true;
            JsonValue.Obj out = m.with("id", clientId);
            return new Read.Event(UpstreamEvent.message((result.isPresent() ? out.with("result", forClient.apply(result.get())) : out).toJson()));
        }
    }

    private void openRound(JsonValue.Obj inputRequired) {
        if (++rounds > MAX_ROUNDS) {
            fail("the upstream asked for input more than " + MAX_ROUNDS + " times for one request");
            return;
        }
        InputRound.Opened opened;
        try {
            opened = InputRound.open(request.obj("params").orElse(JsonValue.Obj.EMPTY), inputRequired, idPrefix + rounds + "-");
        } catch (IllegalArgumentException e) {
            fail("the upstream's input_required result is unusable: " + e.getMessage());
            return;
        }
        lock.lock();
        try {
            round = opened.round();
        } finally {
            lock.unlock();
        }
        for (InputRound.ServerRequest asked : opened.requests()) {
            registry.register(asked.id(), this);
            pending.add(UpstreamEvent.message(asked.message().toJson()));
        }
    }

    /** Waits for the client's answers to the open round, then sends the retry; an event to deliver when it cannot go on. */
    private Optional<Read> awaitRound() {
        lock.lock();
        try {
            long left = roundWait.toNanos();
            while (!round.complete() && !closed && ended == null && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (closed) {
                return Optional.of(new Read.End());
            }
            if (!round.complete()) {
                round.pendingIds().forEach(registry::unregister);
                round = null;
                if (ended != null) {
                    failWith(ended);
                } else {
                    fail("the client did not answer the server's request within " + roundWait.toSeconds() + " s");
                }
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new Read.Broken("interrupted while waiting for the client's answers"));
        } finally {
            lock.unlock();
        }
        retry();
        return Optional.empty();
    }

    private void retry() {
        JsonValue.Obj params = round.retryParams();
        round = null;
        upstreamId = JsonValue.str(idPrefix + "retry-" + rounds);
        request = request.with("id", upstreamId).with("params", params);
        UpstreamEvents previous = source;
        UpstreamReply reply = resend.apply(request);
        previous.close();
        switch (reply) {
            case UpstreamReply.Events events -> source = events.events();
            case UpstreamReply.Answer answer -> source = single(answer.message());
            // a refusal answers the retry, whatever id its error names (often null: the upstream judged the request before reading it)
            case UpstreamReply.Refused refused when refused.error().flatMap(BridgedCall::parse).isPresent() -> source = single(
                    refused.error().flatMap(BridgedCall::parse).orElseThrow().with("id", upstreamId).toJson().getBytes(StandardCharsets.UTF_8));
            default -> {
                reply.close();
                fail("the upstream did not answer the retry of the request with the client's input: " + describe(reply));
            }
        }
    }

    private static String describe(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Unreachable u -> u.reason().orElse(u.cause().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            case UpstreamReply.Refused r -> r.detail();
            default -> reply.getClass().getSimpleName();
        };
    }

    /** Ends the call for the client with a JSON-RPC error. */
    private void fail(String why) {
        failWith("Upstream error: " + why);
    }

    private void failWith(String message) {
        done = true;
        pending.add(UpstreamEvent.message(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", clientId, "error", JsonValue.obj(
                "code", JsonValue.Num.of(JsonRpcErrorCodes.INTERNAL_ERROR), "message", JsonValue.str(message))).toJson()));
    }

    /**
     * Ends the round waiting for the client's answers, if one is open, with a JSON-RPC error saying {@code message}
     * (this instance stops); the call reads on to that error and ends. Returns whether a round was open.
     */
    boolean endRound(String message) {
        lock.lock();
        try {
            if (round == null || closed || ended != null) {
                return false;
            }
            ended = message;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client's answer (a JSON-RPC response or error) to our request {@code ourId}. An error stands for a
     * declined question: an elicitation becomes {@code {"action":"decline"}}, any other request's error ends the
     * call with it. Returns whether the id was one of this call's open questions.
     */
    boolean answer(String ourId, JsonValue.Obj message) {
        lock.lock();
        try {
            if (round == null || closed) {
                return false;
            }
            Optional<JsonValue.Obj> result = message.obj("result");
            JsonValue value = result.isPresent() ? (JsonValue) result.get() : JsonValue.obj("action", JsonValue.str("decline"));
            Optional<InputRound> next = round.answer(ourId, value);
            if (next.isEmpty()) {
                return false;
            }
            round = next.get();
            registry.unregister(ourId);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Our ids the client has not answered yet, for tests and the log. */
    List<String> waitingFor() {
        lock.lock();
        try {
            return round == null ? List.of() : round.pendingIds();
        } finally {
            lock.unlock();
        }
    }

    /** The method of the call, for the log. */
    String method() {
        return method;
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            if (round != null) {
                round.pendingIds().forEach(registry::unregister);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        source.close();
    }

    private static Optional<JsonValue.Obj> parse(byte[] json) {
        return parse(new String(json, StandardCharsets.UTF_8));
    }

    private static Optional<JsonValue.Obj> parse(String data) {
        try {
            return Optional.of(JsonText.parseObject(data));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
