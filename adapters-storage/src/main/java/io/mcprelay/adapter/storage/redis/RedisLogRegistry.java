package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.ScriptOutputType;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Which replay logs exist, in open order, and which session owns each: the {@code maxStreams}
 * bound and the session index of {@link RedisEventLogAdapter}, as the in-memory log registry keeps
 * them. Its keys share the slot of {@code {prefix:e}} (see {@link RedisKeys}), so each change is one
 * script; the logs themselves live in other slots, so "is this log still alive" is asked of them
 * separately, and a registration whose log has expired stays until something prunes it.
 *
 * <p>Opening into a full registry first prunes registrations of expired logs (one pipelined EXISTS
 * per registered log: O(maxStreams), as the in-memory registry's scan), and only if none was stale
 * drops the oldest complete log, else the oldest log, then tries again. A prune that found nothing
 * stale is not repeated for {@link #FRUITLESS_PRUNE_PAUSE}: meanwhile a full registry drops at once,
 * so a registry full of live logs costs one scan a second, not one per open (at
 * {@code --replay-max-streams 20000}, 20,000 EXISTS for every stream opened). The check and the
 * registration are one script, so concurrent opens on several instances respect the bound; after
 * {@value #ATTEMPTS} contested attempts the stream is registered anyway, so an open never fails
 * for the bound alone.
 */
final class RedisLogRegistry {

    private static final int ATTEMPTS = 8;
    /** How long after a prune that found nothing stale a full registry drops a log without pruning first. */
    static final java.time.Duration FRUITLESS_PRUNE_PAUSE = java.time.Duration.ofSeconds(1);
    private static final LuaScript ADMIT = LuaScript.load("registry-admit");
    private static final LuaScript FORGET = LuaScript.load("registry-forget");
    private static final LuaScript COMPLETE = LuaScript.load("registry-complete");

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final int maxStreams;
    /** When ({@link System#nanoTime()}) the last prune that found nothing stale ran; {@code null} before any. */
    private volatile Long fruitlessPruneAt;
    private final LogDropper dropper;

    /** Drops one log's keys (and wakes its waiters); true if a live log was dropped. */
    @FunctionalInterface
    interface LogDropper {
        boolean drop(StreamId stream);
    }

    RedisLogRegistry(RedisConnection redis, RedisKeys keys, int maxStreams, LogDropper dropper) {
        this.redis = redis;
        this.keys = keys;
        this.maxStreams = maxStreams;
        this.dropper = dropper;
    }

    /** Registers a log just opened, first making room as the in-memory registry does. */
    void admit(StreamId stream, ProxySessionId session) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (tryAdmit(stream, session, Integer.toString(maxStreams))) {
                return;
            }
            if (!pruneDue() || pruneStale() == 0) {
                evictOne();
            }
        }
        tryAdmit(stream, session, "");
    }

    /** Notes that a stream completed, so that it is dropped before incomplete ones. */
    void completed(StreamId stream) {
        eval(COMPLETE, stream.value());
    }

    /** The streams registered to {@code session}. */
    List<StreamId> streamsOf(ProxySessionId session) {
        return redis.call("list a session's logs", c -> c.smembers(keys.registrySession(session))).stream()
                .map(StreamId::new)
                .toList();
    }

    /** Each stream's open order (a larger one opened later), or null for one not registered. */
    List<Double> openOrder(List<StreamId> streams) {
        String[] members = streams.stream().map(StreamId::value).toArray(String[]::new);
        return redis.call("read the logs' open order", c -> c.zmscore(keys.registryStreams(), members));
    }

    /** Forgets these streams of {@code session} (whose logs were just dropped), and removes them from its set. */
    void forget(ProxySessionId session, List<StreamId> streams) {
        if (!streams.isEmpty()) {
            eval(FORGET, Stream.concat(Stream.of(session.value()), streams.stream().map(StreamId::value)).toArray(String[]::new));
        }
    }

    private boolean pruneDue() {
        Long at = fruitlessPruneAt;
        return at == null || System.nanoTime() - at >= FRUITLESS_PRUNE_PAUSE.toNanos();
    }

    /** Forgets every registration whose log has expired; how many. */
    int pruneStale() {
        int pruned = prune();
        fruitlessPruneAt = pruned == 0 ? System.nanoTime() : null;
        return pruned;
    }

    private int prune() {
        List<String> registered = redis.call("list logs", c -> c.zrange(keys.registryStreams(), 0, -1));
        int pruned = 0;
        for (List<String> chunk : RedisSessionListing.chunks(registered)) {
            List<CompletableFuture<Long>> replies = new ArrayList<>(chunk.size());
            for (String stream : chunk) {
                replies.add(redis.send("check logs", c -> c.exists(keys.logMeta(new StreamId(stream)))));
            }
            List<Long> exists = redis.awaitAll("check logs", replies);
            List<String> stale = new ArrayList<>();
            stale.add("");
            for (int i = 0; i < chunk.size(); i++) {
                if (exists.get(i) == 0L) {
                    stale.add(chunk.get(i));
                }
            }
            if (stale.size() > 1) {
                Long removed = eval(FORGET, stale.toArray(String[]::new));
                pruned += removed.intValue();
            }
        }
        return pruned;
    }

    private boolean tryAdmit(StreamId stream, ProxySessionId session, String max) {
        Long admitted = eval(ADMIT, stream.value(), session.value(), max);
        return admitted == 1L;
    }

    /** Drops the oldest complete log, else the oldest log, and forgets it. */
    private void evictOne() {
        Optional<String> victim = oldest(keys.registryComplete()).or(() -> oldest(keys.registryStreams()));
        victim.map(StreamId::new).ifPresent(stream -> {
            dropper.drop(stream);
            eval(FORGET, "", stream.value());
        });
    }

    private Optional<String> oldest(String key) {
        return redis.call("find the oldest log", c -> c.zrange(key, 0, 0)).stream().findFirst();
    }

    private Long eval(LuaScript script, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = keys.registrySessionPrefix();
        System.arraycopy(args, 0, all, 1, args.length);
        return redis.eval(script, ScriptOutputType.INTEGER, registryKeys(), all);
    }

    private String[] registryKeys() {
        return new String[] {keys.registryStreams(), keys.registryComplete(), keys.registryOwner(), keys.registryCounter()};
    }
}
