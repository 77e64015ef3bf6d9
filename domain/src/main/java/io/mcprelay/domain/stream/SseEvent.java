package io.mcprelay.domain.stream;

import java.util.Objects;
import java.util.Optional;

/**
 * One server-sent event: an optional id, an optional event type, the data (lines joined by
 * {@code \n}) and an optional reconnection hint in milliseconds.
 */
public record SseEvent(Optional<String> id, Optional<String> event, String data, Optional<Long> retryMillis) {

    public SseEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(retryMillis, "retryMillis");
        id.ifPresent(v -> requireSingleLine(v, "id"));
        event.ifPresent(v -> requireSingleLine(v, "event"));
        if (id.isPresent() && id.get().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an event id must not contain NUL");
        }
        retryMillis.ifPresent(r -> {
            if (r < 0) {
                throw new IllegalArgumentException("retry must not be negative");
            }
        });
    }

    /** A {@code message} event carrying {@code data} and nothing else. */
    public static SseEvent message(String data) {
        return new SseEvent(Optional.empty(), Optional.empty(), data, Optional.empty());
    }

    /** Whether the event type is the default, {@code message} (absent or named so). */
    public boolean isMessage() {
        return event.isEmpty() || event.get().equals("message");
    }

    /** This event with {@code newId} instead of its own id. */
    public SseEvent withId(Optional<String> newId) {
        return new SseEvent(newId, event, data, retryMillis);
    }

    private static void requireSingleLine(String v, String field) {
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event " + field + " must be a single line");
        }
    }
}
