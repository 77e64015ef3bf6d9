package io.mcprelay.domain.stream;

import io.mcprelay.domain.session.ProxySessionId;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides what a {@code Last-Event-ID} resumes: only the stream it names, only within the session
 * that owns that stream, and only when no event after it has been dropped from the log.
 */
public final class ResumeRules {

    private ResumeRules() {
    }

    /**
     * @param lastEventId the header as the client sent it
     * @param session     the session the request belongs to
     * @param logs        looks up a stream's log state
     */
    public static ResumePoint resolve(String lastEventId, ProxySessionId session, Function<StreamId, Optional<LogState>> logs) {
        Optional<EventId> parsed = EventId.parse(lastEventId == null ? null : lastEventId.trim());
        if (parsed.isEmpty()) {
            return new ResumePoint.Malformed(lastEventId == null ? "" : lastEventId);
        }
        EventId id = parsed.get();
        Optional<LogState> found = logs.apply(id.stream());
        if (found.isEmpty()) {
            return new ResumePoint.Unknown(id);
        }
        LogState log = found.get();
        if (!log.stream().session().equals(session)) {
            return new ResumePoint.ForeignSession(id);
        }
        if (id.sequence() > log.lastSequence()) {
            return new ResumePoint.Unknown(id);
        }
        if (id.sequence() + 1 < log.firstSequence()) {
            return new ResumePoint.Evicted(id, log.firstSequence());
        }
        return new ResumePoint.Resume(log, id.sequence());
    }
}
