package io.mcprelay.domain.stream;

import java.util.Objects;
import java.util.Optional;

/**
 * One event in a replay log: its sequence in the stream, its SSE type and data, and the upstream's
 * own event id beside ours (kept to re-attach upstream, never shown to clients).
 */
public record LoggedEvent(long sequence, Optional<String> eventType, String data, Optional<String> upstreamEventId) {

    public LoggedEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("logged events are numbered from 1");
        }
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(upstreamEventId, "upstreamEventId");
    }

    /** The event as the client sees it: our id, its type and data; no upstream id, no retry hint. */
    public SseEvent toClientEvent(StreamId stream) {
        return new SseEvent(Optional.of(new EventId(stream, sequence).text()), eventType, data, Optional.empty());
    }

    /** What the event weighs against a log's byte limit. */
    public long weight() {
        return data.length() + eventType.map(String::length).orElse(0) + upstreamEventId.map(String::length).orElse(0) + 16L;
    }
}
