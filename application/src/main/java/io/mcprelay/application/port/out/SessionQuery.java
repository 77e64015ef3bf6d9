package io.mcprelay.application.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * A page request for {@link SessionStorePort#list}: optional filters, an opaque cursor from the
 * previous page (empty for the first), and a page size of 1 to {@value #MAX_LIMIT}.
 */
public record SessionQuery(Optional<String> idPrefix, Optional<String> upstream, Optional<String> cursor, int limit) {

    public static final int MAX_LIMIT = 500;

    public SessionQuery {
        Objects.requireNonNull(idPrefix, "idPrefix");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " sessions, not " + limit);
        }
    }

    /** The first page of all sessions. */
    public static SessionQuery firstPage(int limit) {
        return new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /** The page after the one that returned {@code nextCursor}, with the same filters. */
    public SessionQuery after(String nextCursor) {
        return new SessionQuery(idPrefix, upstream, Optional.of(nextCursor), limit);
    }
}
