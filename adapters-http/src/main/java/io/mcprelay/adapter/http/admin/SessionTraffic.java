package io.mcprelay.adapter.http.admin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest messages of each session as this instance relayed them, for the console's session page:
 * when, which way, the JSON-RPC method and id, how it was answered and how long it took. The replay
 * logs hold only what upstreams sent, without times; this is what an operator asks first ("what did
 * it call, and how slow was it?").
 *
 * <p>Bounded twice: at most {@value #MAX_MESSAGES} messages per session (the oldest go) and
 * {@value #MAX_SESSIONS} sessions (the one least recently active goes). In memory only: another
 * instance's traffic and anything before a restart are not here. Thread-safe.
 */
final class SessionTraffic {

    static final int MAX_MESSAGES = 50;
    static final int MAX_SESSIONS = 1_000;
    /** Longest method name or id kept; client-chosen text, so it is cut. */
    static final int MAX_TEXT = 80;

    /** Which way a message went. */
    enum Direction {
        /** From the client, through the relay, to the upstream. */
        CLIENT_TO_UPSTREAM("client → upstream"),
        /** From the upstream to the client, on a stream. */
        UPSTREAM_TO_CLIENT("upstream → client");

        private final String arrow;

        Direction(String arrow) {
            this.arrow = arrow;
        }

        String arrow() {
            return arrow;
        }
    }

    /**
     * One message.
     *
     * @param at            when the relay received it
     * @param direction     which way it went
     * @param method        its JSON-RPC method; {@code response}, {@code batch} or {@code invalid} when it has none
     * @param id            its JSON-RPC id, if it had one
     * @param answer        how the relay answered it: an HTTP status, {@code SSE}, or a refusal reason; for an event sent to the client, empty
     * @param latencyMillis from receipt to the end of its answer (for an event: since the request its stream answers); empty when not measured
     */
    record Message(Instant at, Direction direction, String method, Optional<String> id, Optional<String> answer,
                   Optional<Long> latencyMillis) {
        Message {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(direction, "direction");
            method = cut(Objects.requireNonNull(method, "method"));
            id = id.map(SessionTraffic::cut);
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(latencyMillis, "latencyMillis");
        }
    }

    private final Map<String, ArrayDeque<Message>> sessions = new LinkedHashMap<>(64, 0.75f, true);

    /** Remembers {@code message} of session {@code session}. */
    void record(String session, Message message) {
        Objects.requireNonNull(message, "message");
        synchronized (sessions) {
            ArrayDeque<Message> messages = sessions.computeIfAbsent(session, s -> new ArrayDeque<>());
            messages.addFirst(message);
            while (messages.size() > MAX_MESSAGES) {
                messages.removeLast();
            }
            if (sessions.size() > MAX_SESSIONS) {
                var eldest = sessions.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
    }

    /** The session's latest messages, newest first (at most {@value #MAX_MESSAGES}); empty for one this instance has not seen. */
    List<Message> of(String session) {
        synchronized (sessions) {
            ArrayDeque<Message> messages = sessions.get(session);
            return messages == null ? List.of() : List.copyOf(new ArrayList<>(messages));
        }
    }

    /** Forgets a session (it ended). */
    void forget(String session) {
        synchronized (sessions) {
            sessions.remove(session);
        }
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, end) + "…";
    }
}
