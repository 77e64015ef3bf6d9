package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.Session;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Cuts one page out of a snapshot of live sessions: filter, order by creation time then id, resume after the cursor. */
final class SessionListing {

    /** The order of every listing: creation time, then id, so that sessions created at one instant still have one order. */
    static final Comparator<Session> ORDER =
            Comparator.comparing(Session::createdAt).thenComparing(session -> session.id().value());

    private SessionListing() {
    }

    /** The page of {@code live} that {@code query} asks for; {@code total} counts every match, not only this page. */
    static SessionPage page(Collection<Session> live, SessionQuery query) {
        Optional<PageCursor> after = query.cursor().map(PageCursor::decode);
        List<Session> matching = live.stream().filter(matches(query)).toList();
        List<Session> remaining = matching.stream()
                .filter(session -> after.map(cursor -> cursor.precedes(session)).orElse(true))
                .sorted(ORDER)
                .toList();
        List<Session> page = remaining.subList(0, Math.min(query.limit(), remaining.size()));
        Optional<String> nextCursor = remaining.size() > page.size()
                ? Optional.of(PageCursor.after(page.getLast()).encode())
                : Optional.empty();
        return new SessionPage(page, nextCursor, matching.size());
    }

    private static Predicate<Session> matches(SessionQuery query) {
        return session -> query.idPrefix().map(prefix -> session.id().value().startsWith(prefix)).orElse(true)
                && query.upstream().map(upstream -> session.upstream().equals(upstream)).orElse(true);
    }
}
