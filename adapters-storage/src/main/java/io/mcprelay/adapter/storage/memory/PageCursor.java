package io.mcprelay.adapter.storage.memory;

import io.mcprelay.adapter.storage.SessionCursors;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a listing stopped: the creation time and id of the last session handed out. The next page
 * starts strictly after it, so sessions deleted between pages shift nothing and are never skipped
 * over. On the wire it is opaque URL-safe Base64 of {@code v1|seconds|nanos|id}.
 */
record PageCursor(Instant createdAt, ProxySessionId id) {

    private static final String VERSION = "v1";

    PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    static PageCursor after(Session last) {
        return new PageCursor(last.createdAt(), last.id());
    }

    /** Whether {@code session} comes after this cursor in listing order. */
    boolean precedes(Session session) {
        int byTime = createdAt.compareTo(session.createdAt());
        return byTime < 0 || byTime == 0 && id.value().compareTo(session.id().value()) < 0;
    }

    String encode() {
        return SessionCursors.encode(VERSION, createdAt, id);
    }

    /**
     * The cursor {@code text} encodes.
     *
     * @throws IllegalArgumentException if {@code text} is not a cursor this store issued
     */
    static PageCursor decode(String text) {
        SessionCursors.Position at = SessionCursors.decode(VERSION, text);
        return new PageCursor(at.createdAt(), at.id());
    }
}
