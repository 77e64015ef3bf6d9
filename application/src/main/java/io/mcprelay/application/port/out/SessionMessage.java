package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.StreamId;
import java.util.Objects;

/**
 * One event of a session as operators see it: the stream it was logged on, and the event. The
 * stream is needed beside the event because sequences count per stream.
 *
 * @param stream the stream whose log holds the event
 * @param event  the event
 */
public record SessionMessage(StreamId stream, LoggedEvent event) {

    public SessionMessage {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
    }

    /** The event's id as its client saw it: {@code <stream>:<sequence>}. */
    public EventId eventId() {
        return new EventId(stream, event.sequence());
    }
}
