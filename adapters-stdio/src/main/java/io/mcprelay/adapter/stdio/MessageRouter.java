package io.mcprelay.adapter.stdio;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which stream each message from a process belongs to. stdio has one pipe per direction, so
 * the relay rebuilds what Streamable HTTP gets from one HTTP exchange per request:
 * <ul>
 *   <li>the answer to a client request (matched by id) ends that request's stream;</li>
 *   <li>a {@code notifications/progress} whose token a pending request announced
 *       ({@code params._meta.progressToken}) goes to that request's stream, before its answer;</li>
 *   <li>everything else (server requests such as {@code sampling/createMessage},
 *       {@code elicitation/create}, {@code roots/list}; other notifications, e.g. logging or
 *       list changes, which stdio gives no way to relate to a request) goes to the session's
 *       standalone stream, the one a client reads with GET.</li>
 * </ul>
 * The standalone stream is bounded and kept while no client listens, so what arrives between
 * {@code initialize} and the client's GET is not lost. When it is full, a new notification is
 * dropped, and a new server request is refused: {@link Routed#refuse()} tells the caller to answer
 * the process with an error, so the server does not wait forever for a client that is not there.
 * Answers to unknown ids are dropped (the request timed out or its client left).
 *
 * <p>Thread-safe: the stdout reader routes while request threads register and forget.
 */
final class MessageRouter {

    /** What became of a routed message. */
    record Routed(boolean delivered, boolean refuse, String where) {
    }

    /** A request was opened on a session whose process has ended or broke the protocol; the message says why. */
    static final class ClosedException extends Exception {
        ClosedException(String why) {
            super(why, null, false, false);
        }
    }

    /** A request was opened with an id that is already in flight in the session. */
    static final class DuplicateIdException extends Exception {
        DuplicateIdException(String why) {
            super(why, null, false, false);
        }
    }

    private final Map<RequestId, StreamQueue> pending = new HashMap<>();
    private final Map<String, StreamQueue> byProgressToken = new HashMap<>();
    private final Map<StreamQueue, Optional<String>> tokenOf = new HashMap<>();
    private final StreamQueue standalone;
    private final int requestCapacity;
    private final Duration slowConsumerWait;
    private boolean closed;
    private String closedWhy = "";

    MessageRouter(int standaloneCapacity, int requestCapacity, Duration slowConsumerWait) {
        this.standalone = new StreamQueue(standaloneCapacity);
        this.requestCapacity = requestCapacity;
        this.slowConsumerWait = slowConsumerWait;
    }

    /** The session's standalone stream. */
    StreamQueue standalone() {
        return standalone;
    }

    /**
     * Opens the stream of a client request before it is written to the process, so that nothing
     * the process answers can arrive first.
     *
     * @throws ClosedException      the process has ended or broke the protocol (even if its stop is still under way)
     * @throws DuplicateIdException the id is already pending (MCP: ids are unique in a session)
     */
    synchronized StreamQueue open(JsonRpcMessage.Request request, Optional<String> progressToken)
            throws ClosedException, DuplicateIdException {
        if (closed) {
            throw new ClosedException(closedWhy);
        }
        if (pending.containsKey(request.id())) {
            throw new DuplicateIdException("request id " + request.id().toJson() + " is already in flight in this session");
        }
        StreamQueue stream = new StreamQueue(requestCapacity);
        pending.put(request.id(), stream);
        tokenOf.put(stream, progressToken);
        progressToken.ifPresent(t -> byProgressToken.putIfAbsent(t, stream));
        return stream;
    }

    /** The request's consumer is gone (answered, timed out, client left): later messages for it are dropped. */
    synchronized void forget(JsonRpcMessage.Request request, StreamQueue stream) {
        pending.remove(request.id(), stream);
        tokenOf.getOrDefault(stream, Optional.empty()).ifPresent(t -> byProgressToken.remove(t, stream));
        tokenOf.remove(stream);
        stream.discard();
    }

    /** Routes one message from the process (called by its stdout reader only). */
    Routed route(WireMessage wire) throws InterruptedException {
        StreamQueue target;
        boolean answer = false;
        synchronized (this) {
            target = switch (wire.message()) {
                case JsonRpcMessage.Response r -> pending.get(r.id());
                case JsonRpcMessage.ErrorResponse e -> e.id().map(pending::get).orElse(null);
                case JsonRpcMessage.Notification n -> wire.progressToken().map(byProgressToken::get).orElse(null);
                case JsonRpcMessage.Request r -> null;
            };
            if (target != null && !(wire.message() instanceof JsonRpcMessage.Notification)) {
                answer = true;
            }
        }
        if (target != null) {
            boolean delivered = target.offer(wire, slowConsumerWait);
            if (answer) {
                target.end(StreamQueue.EndCause.ANSWERED, "answered");
            } else if (!delivered && !target.ended()) {
                target.end(StreamQueue.EndCause.OVERFLOW, "the client read the request's stream too slowly");
            }
            return new Routed(delivered, false, "request");
        }
        if (wire.message() instanceof JsonRpcMessage.Response || wire.message() instanceof JsonRpcMessage.ErrorResponse) {
            return new Routed(false, false, "unknown id");
        }
        boolean delivered = standalone.offer(wire, Duration.ZERO);
        return new Routed(delivered, !delivered && wire.message() instanceof JsonRpcMessage.Request, "standalone");
    }

    /** The process has ended: every stream ends, and no request can be opened any more. */
    void closeAll(String why) {
        Map<RequestId, StreamQueue> open;
        synchronized (this) {
            closed = true;
            closedWhy = why;
            open = Map.copyOf(pending);
            pending.clear();
            byProgressToken.clear();
            tokenOf.clear();
        }
        open.values().forEach(s -> s.end(StreamQueue.EndCause.PROCESS_ENDED, why));
        standalone.end(StreamQueue.EndCause.PROCESS_ENDED, why);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Answers the process's request {@code id} with a JSON-RPC error, as one line. */
    static byte[] refusal(RequestId id, String message) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id.toJson() + ",\"error\":{\"code\":-32603,\"message\":"
                + new RequestId.StringId(message).toJson() + "}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
