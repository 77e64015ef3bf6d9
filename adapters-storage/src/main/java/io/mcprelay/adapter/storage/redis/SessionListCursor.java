package io.mcprelay.adapter.storage.redis;

import io.mcprelay.adapter.storage.SessionCursors;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a listing stopped: the creation time and id of the last session handed out, as its place in
 * the creation index (score and member). The next page starts strictly after it, so sessions
 * deleted between pages shift nothing. Any instance sharing the Redis accepts it. On the wire it is
 * opaque URL-safe Base64 of {@code r1|seconds|nanos|id}.
 */
record SessionListCursor(Instant createdAt, ProxySessionId id) {

    private static final String VERSION = "r1";

    SessionListCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    static SessionListCursor after(Session last) {
        return new SessionListCursor(last.createdAt(), last.id());
    }

    /** The score of this position in the creation index. */
    long score() {
        return scoreOf(createdAt);
    }

    /** The member of this position in the creation index. */
    String member() {
        return memberOf(createdAt, id);
    }

    /** Whether the index entry ({@code score}, {@code member}) comes after this position, in Redis's order. */
    boolean precedes(double score, String member) {
        long entryScore = (long) score;
        return entryScore > score() || entryScore == score() && member.compareTo(member()) > 0;
    }

    static long scoreOf(Instant createdAt) {
        return createdAt.toEpochMilli();
    }

    static String memberOf(Instant createdAt, ProxySessionId id) {
        return RedisKeys.indexMember(createdAt.getNano() % 1_000_000, id);
    }

    String encode() {
        return SessionCursors.encode(VERSION, createdAt, id);
    }

    /**
     * The cursor {@code text} encodes.
     *
     * @throws IllegalArgumentException if {@code text} is not a cursor a Redis session store issued
     */
    static SessionListCursor decode(String text) {
        SessionCursors.Position at = SessionCursors.decode(VERSION, text);
        return new SessionListCursor(at.createdAt(), at.id());
    }
}
