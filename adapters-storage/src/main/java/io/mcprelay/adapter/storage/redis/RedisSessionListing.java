package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Cuts one page out of the creation index: walk the index from the cursor's place, load the
 * sessions, skip those that vanished meanwhile. The index is already in (creation time, id) order
 * (see {@link RedisKeys#indexMember}), so nothing is sorted here.
 */
final class RedisSessionListing {

    /** How many commands one pipelined batch holds. */
    static final int CHUNK = 500;

    private final RedisConnection redis;
    private final RedisKeys keys;

    RedisSessionListing(RedisConnection redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * The page {@code query} asks for. {@code live} is the number of live sessions, the total of an
     * unfiltered query; a filtered one counts its matches itself.
     */
    SessionPage page(SessionQuery query, long live) {
        Optional<SessionListCursor> after = query.cursor().map(SessionListCursor::decode);
        boolean filtered = query.idPrefix().isPresent() || query.upstream().isPresent();
        return filtered ? filteredPage(query, after) : unfilteredPage(query.limit(), after, live);
    }

    /** Reads the index from the cursor on, one page and one more entry at a time. */
    private SessionPage unfilteredPage(int limit, Optional<SessionListCursor> after, long live) {
        Range<Long> range = after.map(cursor -> Range.from(Range.Boundary.including(cursor.score()), Range.Boundary.<Long>unbounded()))
                .orElse(Range.unbounded());
        int batch = limit + 1;
        List<Session> page = new ArrayList<>(limit);
        long offset = 0;
        while (true) {
            Limit window = Limit.create(offset, batch);
            List<ScoredValue<String>> entries = redis.call("list sessions",
                    c -> c.zrangebyscoreWithScores(keys.sessionsByCreation(), range, window));
            offset += entries.size();
            List<String> members = entries.stream()
                    .filter(entry -> after.map(cursor -> cursor.precedes(entry.getScore(), entry.getValue())).orElse(true))
                    .map(ScoredValue::getValue)
                    .toList();
            for (Session session : load(members)) {
                if (page.size() == limit) {
                    return pageOf(page, true, Math.max(live, limit + 1L));
                }
                page.add(session);
            }
            if (entries.size() < batch) {
                return pageOf(page, false, Math.max(live, page.size()));
            }
        }
    }

    /** Reads the whole index, as the total counts every match. */
    private SessionPage filteredPage(SessionQuery query, Optional<SessionListCursor> after) {
        List<ScoredValue<String>> entries = redis.call("list sessions",
                c -> c.zrangeWithScores(keys.sessionsByCreation(), 0, -1));
        String prefix = query.idPrefix().orElse("");
        List<ScoredValue<String>> matching = entries.stream()
                .filter(entry -> idOf(entry.getValue()).startsWith(prefix))
                .toList();
        if (query.upstream().isPresent()) {
            matching = onUpstream(matching, query.upstream().get());
        }
        List<String> remaining = matching.stream()
                .filter(entry -> after.map(cursor -> cursor.precedes(entry.getScore(), entry.getValue())).orElse(true))
                .map(ScoredValue::getValue)
                .toList();
        List<Session> page = new ArrayList<>(query.limit());
        for (List<String> chunk : chunks(remaining, query.limit() + 1)) {
            for (Session session : load(chunk)) {
                if (page.size() == query.limit()) {
                    return pageOf(page, true, matching.size());
                }
                page.add(session);
            }
        }
        return pageOf(page, false, Math.max(matching.size(), page.size()));
    }

    private List<ScoredValue<String>> onUpstream(List<ScoredValue<String>> entries, String upstream) {
        List<ScoredValue<String>> kept = new ArrayList<>();
        for (List<ScoredValue<String>> chunk : chunks(entries)) {
            List<CompletableFuture<String>> replies = new ArrayList<>(chunk.size());
            for (ScoredValue<String> entry : chunk) {
                replies.add(redis.send("list sessions", c -> c.hget(keys.sessionKeyPrefix() + idOf(entry.getValue()), "upstream")));
            }
            List<String> upstreams = redis.awaitAll("list sessions", replies);
            for (int i = 0; i < chunk.size(); i++) {
                if (upstream.equals(upstreams.get(i))) {
                    kept.add(chunk.get(i));
                }
            }
        }
        return kept;
    }

    /** The live sessions behind these index members, in their order; members whose session is gone are skipped. */
    private List<Session> load(List<String> members) {
        List<CompletableFuture<Map<String, String>>> replies = new ArrayList<>(members.size());
        for (String member : members) {
            replies.add(redis.send("list sessions", c -> c.hgetall(keys.sessionKeyPrefix() + idOf(member))));
        }
        List<Map<String, String>> hashes = redis.awaitAll("list sessions", replies);
        List<Session> sessions = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Map<String, String> hash = hashes.get(i);
            if (members.get(i).equals(hash.get(SessionRedisCodec.INDEX_MEMBER))) {
                SessionRedisCodec.fromHash(hash).ifPresent(sessions::add);
            }
        }
        return sessions;
    }

    private static SessionPage pageOf(List<Session> page, boolean more, long total) {
        Optional<String> next = more ? Optional.of(SessionListCursor.after(page.getLast()).encode()) : Optional.empty();
        return new SessionPage(page, next, total);
    }

    private static String idOf(String member) {
        return member.substring(RedisKeys.INDEX_MEMBER_ID_OFFSET);
    }

    static <T> List<List<T>> chunks(List<T> items) {
        return chunks(items, CHUNK);
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }
}
