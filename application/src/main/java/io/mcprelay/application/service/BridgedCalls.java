package io.mcprelay.application.service;

import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.session.ProxySessionId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The calls of bridged (a) sessions open on this instance ({@link BridgedCall}), by what can reach them: the
 * client's own request id (its {@code notifications/cancelled}) and the ids of the questions an open round asked
 * the client (its answers). Both live here only: an answer or a cancel that reaches another instance finds nothing
 * (docs/eras.md, "What is lost").
 */
final class BridgedCalls {

    private static final System.Logger LOG = System.getLogger(BridgedCalls.class.getName());
    private static final String STOPPING = "Service Unavailable: this mcp-relay instance is stopping before the client answered the"
            + " server's request; send the request again";

    /** Open questions to clients ("session ourId") and cancellable requests ("session #clientId"), to their call. */
    private final ConcurrentMap<String, BridgedCall> calls = new ConcurrentHashMap<>();
    /** Set by {@link #endRounds}: a round ends as it opens. */
    private volatile boolean stopping;

    /** Runs {@code call} (relays it to its client) while the client's cancel of {@code clientId} can reach it. */
    void whileOpen(ProxySessionId session, JsonValue clientId, BridgedCall call, Runnable relay) {
        String cancelKey = session.value() + " #" + clientId.toJson();
        calls.put(cancelKey, call);
        try {
            relay.run();
        } finally {
            calls.remove(cancelKey, call);
        }
    }

    /** Where the calls of {@code session} register the questions of their open rounds. */
    BridgedCall.Registry registry(ProxySessionId session) {
        return new BridgedCall.Registry() {
            @Override
            public void register(String ourId, BridgedCall call) {
                calls.put(session.value() + " " + ourId, call);
                if (stopping) {
                    call.endRound(STOPPING);
                }
            }

            @Override
            public void unregister(String ourId) {
                calls.remove(session.value() + " " + ourId);
            }
        };
    }

    /** The client's answer to one of our questions, to the call that asked it; dropped when no open round has its id. */
    void answer(ProxySessionId session, JsonValue.Obj message) {
        Optional<String> id = message.str("id");
        BridgedCall call = id.map(i -> calls.get(session.value() + " " + i)).orElse(null);
        if (call == null || !call.answer(id.get(), message)) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: an answer to no open question ({1}); dropped", session,
                    message.get("id").map(JsonValue::toJson).orElse("no id"));
        }
    }

    /** The client cancelled its request {@code requestId}: its upstream stream is closed. */
    void cancel(ProxySessionId session, JsonValue requestId) {
        BridgedCall call = calls.remove(session.value() + " #" + requestId.toJson());
        if (call != null) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: the client cancelled {1} {2}; closing its upstream stream", session,
                    call.method(), requestId.toJson());
            call.close();
        }
    }

    /**
     * Ends every round here that waits for its client's answers, and from now on each round as it opens (this instance
     * stops): each call ends with an error; how many were waiting.
     */
    int endRounds() {
        stopping = true;
        return (int) Set.copyOf(calls.values()).stream().filter(call -> call.endRound(STOPPING)).count();
    }

    /** The session ended (DELETE, eviction): its open calls here are closed. */
    void ended(ProxySessionId session) {
        String prefix = session.value() + " ";
        calls.entrySet().removeIf(entry -> {
            if (entry.getKey().startsWith(prefix)) {
                entry.getValue().close();
                return true;
            }
            return false;
        });
    }
}
