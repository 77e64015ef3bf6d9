package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.BridgedSession;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.session.ProxySessionId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The GET streams of bridged (a) sessions open on this instance, each reading an upstream {@code subscriptions/listen}
 * ({@link BridgedListen}): opened with the session's subscriptions, re-opened when they change, closed when the
 * session ends.
 */
final class BridgedListens {

    private final ConcurrentMap<ProxySessionId, Set<BridgedListen>> open = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** The listen request for a session in {@code state}: every list change, and its subscribed resources. */
    JsonValue.Obj request(BridgedSession state) {
        JsonValue.Obj filter = JsonValue.obj("toolsListChanged", new JsonValue.Bool(true), "promptsListChanged", new JsonValue.Bool(true),
                "resourcesListChanged", new JsonValue.Bool(true));
        if (!state.subscriptions().isEmpty()) {
            filter = filter.with("resourceSubscriptions", new JsonValue.Arr(state.subscriptions().stream()
                    .map(u -> (JsonValue) JsonValue.str(u)).toList()));
        }
        return state.envelope().applyTo(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id",
                JsonValue.str("mcp-relay-listen-" + Long.toString(counter.incrementAndGet(), 36)), "method", JsonValue.str(ModernRelay.LISTEN),
                "params", JsonValue.obj("notifications", filter)));
    }

    /**
     * The GET stream of {@code session} from the upstream's answer to {@link #request}, or {@link UpstreamReply.NoStream}
     * when the upstream answered with no stream.
     */
    UpstreamReply open(ProxySessionId session, UpstreamReply reply) {
        if (!(reply instanceof UpstreamReply.Events events)) {
            String why = reply instanceof UpstreamReply.Refused refused ? refused.detail() : reply.getClass().getSimpleName();
            reply.close();
            return new UpstreamReply.NoStream("the modern-only upstream took no subscriptions/listen: " + why);
        }
        Set<BridgedListen> ofSession = open.computeIfAbsent(session, id -> ConcurrentHashMap.newKeySet());
        BridgedListen[] self = new BridgedListen[1];
        self[0] = new BridgedListen(events.events(), () -> {
            ofSession.remove(self[0]);
            open.computeIfPresent(session, (id, set) -> set.isEmpty() ? null : set);
        });
        ofSession.add(self[0]);
        return new UpstreamReply.Events(self[0], Optional.empty(), events.echo());
    }

    /** Re-opens each listen of {@code session} with what {@code listen} answers now; one it cannot re-open reads on as it was. */
    void reopen(ProxySessionId session, Function<Void, UpstreamReply> listen) {
        for (BridgedListen stream : open.getOrDefault(session, Set.of())) {
            UpstreamReply reopened = listen.apply(null);
            if (reopened instanceof UpstreamReply.Events events) {
                stream.replace(events.events());
            } else {
                reopened.close();
            }
        }
    }

    /** Closes the listens of {@code session} (it ended). */
    void closeAll(ProxySessionId session) {
        Set<BridgedListen> ofSession = open.remove(session);
        if (ofSession != null) {
            List.copyOf(ofSession).forEach(BridgedListen::close);
        }
    }

    /** Listen streams open for {@code session} here. */
    int count(ProxySessionId session) {
        return open.getOrDefault(session, Set.of()).size();
    }
}
