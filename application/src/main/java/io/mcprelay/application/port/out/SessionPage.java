package io.mcprelay.application.port.out;

import io.mcprelay.domain.session.Session;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of sessions, the cursor of the next page (empty on the last), and how many match in all. */
public record SessionPage(List<Session> sessions, Optional<String> nextCursor, long total) {

    public SessionPage {
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(nextCursor, "nextCursor");
        if (total < sessions.size()) {
            throw new IllegalArgumentException("total cannot be less than the page size");
        }
    }
}
