package io.mcprelay.domain.stream;

import java.util.Objects;

/** What a client's {@code Last-Event-ID} means for the session that sent it. */
public sealed interface ResumePoint {

    /** Resume {@code stream} after {@code afterSequence}: every later event is still in its log. */
    record Resume(LogState log, long afterSequence) implements ResumePoint {
        public Resume {
            Objects.requireNonNull(log, "log");
        }
    }

    /** A real position, but events after it were dropped from the log: a replay would lose some. */
    record Evicted(EventId id, long firstRetained) implements ResumePoint {
    }

    /** The id names a stream of another session. */
    record ForeignSession(EventId id) implements ResumePoint {
    }

    /** Our format, but no such stream (never issued, or its log expired) or no such position. */
    record Unknown(EventId id) implements ResumePoint {
    }

    /** Not an event id mcp-relay issues. */
    record Malformed(String text) implements ResumePoint {
    }
}
