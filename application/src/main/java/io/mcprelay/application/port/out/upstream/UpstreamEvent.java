package io.mcprelay.application.port.out.upstream;

import io.mcprelay.domain.stream.SseEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * One message an upstream sent on a stream: the JSON-RPC message text, the upstream's own cursor
 * for it (resume after it with {@link UpstreamPort#resume}), its type when not the default
 * ({@code message}), and how soon the upstream wants a broken stream resumed. An event with empty
 * data carries no message (a cursor or a hint only).
 *
 * @param cursor     the upstream's position after this event, if it gives positions
 * @param type       the event type, when not the default
 * @param data       the message text (JSON-RPC), possibly empty
 * @param retryMillis the upstream's hint for how long to wait before resuming, in milliseconds
 */
public record UpstreamEvent(Optional<String> cursor, Optional<String> type, String data, Optional<Long> retryMillis) {

    public UpstreamEvent {
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(retryMillis, "retryMillis");
    }

    /** A message with no cursor, type or hint: what a transport without positions sends. */
    public static UpstreamEvent message(String data) {
        return new UpstreamEvent(Optional.empty(), Optional.empty(), data, Optional.empty());
    }

    /** The same event in the domain's event shape (what the relay logs and sends on). */
    public SseEvent toSseEvent() {
        return new SseEvent(cursor, type, data, retryMillis);
    }

    /** An upstream event read from an SSE stream: its id is the upstream's cursor. */
    public static UpstreamEvent of(SseEvent event) {
        return new UpstreamEvent(event.id(), event.event(), event.data(), event.retryMillis());
    }
}
