package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.ScriptOutputType;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort.Lease;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The replay logs shared by every mcp-relay instance on one Redis: a client that lost its stream
 * resumes it on any instance, and a follower on one instance is woken by an append on another.
 *
 * <p><b>Layout</b> (see {@link RedisKeys}): per stream a meta hash and a Redis Stream whose entry
 * ids are {@code <sequence>-1}, so our sequence is the stream position and "after n" is an
 * exclusive XRANGE. Both keys share the stream's hash slot and one TTL (PEXPIRE, renewed by append,
 * upstream cursor, completion and {@link #keepAlive}); each write is one atomic Lua script, which
 * also trims the oldest events beyond {@code maxEvents}/{@code maxBytes} (always keeping the newest,
 * as the in-memory log does) and PUBLISHes a wake-up. A registry ({@link RedisLogRegistry}) keeps
 * the open order and each session's streams, for {@code maxStreams} and {@link #deleteSession}.
 *
 * <p><b>Waiting.</b> {@link #awaitAfter} never blocks the shared connection: it waits on a local
 * condition that this adapter's single pub/sub connection signals ({@link StreamWakeUps}), and
 * re-reads the log at least every {@value #RECHECK_MILLIS} ms in case a wake-up was missed or the
 * log expired (a second: 5,000 waiting followers cost 5,000 reads a second, not 20,000 as at 250 ms).
 * An interrupt ends the wait early and stays set.
 *
 * <p><b>Coordination</b> (liveness, leases, followers) is {@link RedisStreamLeaseAdapter}'s, on the
 * same keys: a stream's lease is two fields of its meta hash, and each write made under a lease
 * checks it in its script (fencing).
 *
 * <p><b>Time.</b> Expiry runs on Redis's clock. {@link #purgeExpired} only prunes registrations of
 * logs Redis has already expired and reports how many. Beyond the port: the newest event is kept
 * even when heavier than {@code maxBytes}; opening a stream id that has a live log throws
 * {@link IllegalStateException}. Every method throws
 * {@link io.mcprelay.application.port.out.StoreUnavailableException} when Redis cannot be reached.
 *
 * <p>Close it (before the {@link RedisConnection}) to close its pub/sub connection.
 */
public final class RedisEventLogAdapter implements EventLogPort, AutoCloseable {

    static final long RECHECK_MILLIS = 1_000;

    private static final LuaScript OPEN = LuaScript.load("log-open");
    private static final LuaScript APPEND = LuaScript.load("log-append");
    private static final LuaScript READ = LuaScript.load("log-read");
    private static final LuaScript COMPLETE = LuaScript.load("log-complete");
    private static final LuaScript CURSOR = LuaScript.load("log-cursor");
    private static final LuaScript KEEP_ALIVE = LuaScript.load("log-keepalive");
    private static final LuaScript DROP = LuaScript.load("log-drop");

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final ReplayLogLimits limits;
    private final String ttlMillis;
    private final RedisLogRegistry registry;
    private final StreamWakeUps wakeUps;

    /**
     * @param connection the Redis to use; its key prefix separates these logs from others on that Redis
     * @param limits     the bounds of every log and of how many logs are kept (across all instances)
     * @param clock      kept for the port's constructor shape; the TTL runs on Redis's clock
     */
    public RedisEventLogAdapter(RedisConnection connection, ReplayLogLimits limits, ClockPort clock) {
        this.redis = Objects.requireNonNull(connection, "connection");
        this.limits = Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
        this.keys = new RedisKeys(connection.config().keyPrefix());
        this.ttlMillis = Long.toString(Math.max(1, limits.ttl().toMillis()));
        this.registry = new RedisLogRegistry(connection, keys, limits.maxStreams(), stream -> drop(stream, ""));
        this.wakeUps = new StreamWakeUps(connection, keys);
    }

    @Override
    public void open(StreamInfo stream) {
        Objects.requireNonNull(stream, "stream");
        Long opened = eval(OPEN, stream.id(), ttlMillis, stream.session().value(), stream.kind().name(),
                SessionRedisCodec.instant(stream.openedAt()), LogRedisCodec.requests(stream.requests()));
        if (opened == 0L) {
            throw new IllegalStateException("stream " + stream.id() + " already has a replay log");
        }
        registry.admit(stream.id(), stream.session());
    }

    @Override
    public long append(StreamId stream, Entry entry) {
        return append(stream, 0, null, entry);
    }

    /** {@inheritDoc} The lease check and the append are one script: no other instance's write can come between. */
    @Override
    public long append(StreamId stream, Lease lease, Entry entry) {
        return append(stream, 0, Objects.requireNonNull(lease, "lease"), entry);
    }

    /**
     * One atomic script whether the event is numbered here or by its writer, so an attempt that timed
     * out and runs when Redis answers again can only land at the sequence it was given.
     */
    @Override
    public boolean appendAt(StreamId stream, long sequence, Entry entry) {
        return appendAt(stream, sequence, null, entry);
    }

    /** {@inheritDoc} The lease check and the append are one script. */
    @Override
    public boolean appendAt(StreamId stream, long sequence, Lease lease, Entry entry) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequences start at 1");
        }
        return append(stream, sequence, lease, entry) != 0L;
    }

    /**
     * Appends at {@code expected}, or at the next sequence when it is 0, under {@code lease} when not
     * null; the sequence stored, or 0 when it was there already.
     */
    private long append(StreamId stream, long expected, Lease lease, Entry entry) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(entry, "entry");
        long weight = new LoggedEvent(1, entry.eventType(), entry.data(), entry.upstreamEventId()).weight();
        Long sequence = eval(APPEND, stream, ttlMillis, Integer.toString(limits.maxEvents()), Long.toString(limits.maxBytes()),
                Long.toString(weight), entry.data(),
                flag(entry.eventType()), entry.eventType().orElse(""),
                flag(entry.upstreamEventId()), entry.upstreamEventId().orElse(""),
                keys.wakeChannel(stream), Long.toString(expected),
                lease == null ? "" : lease.owner(), lease == null ? "" : Long.toString(lease.epoch()),
                LogRedisCodec.requests(entry.answers()));
        if (sequence == -1L) {
            throw new IllegalStateException("no replay log for stream " + stream + " (unknown or expired)");
        }
        if (sequence == -2L) {
            throw new IllegalStateException("stream " + stream + " is complete: no event may follow");
        }
        if (sequence == -3L) {
            throw new IllegalStateException("stream " + stream + " has no event " + (expected - 1) + " to follow");
        }
        if (sequence == -4L) {
            throw new LeaseLostException(stream, lease);
        }
        return sequence;
    }

    @Override
    public void recordUpstreamCursor(StreamId stream, String upstreamEventId) {
        Objects.requireNonNull(upstreamEventId, "upstreamEventId");
        eval(CURSOR, stream, ttlMillis, upstreamEventId, "", "");
    }

    @Override
    public void recordUpstreamCursor(StreamId stream, Lease lease, String upstreamEventId) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(upstreamEventId, "upstreamEventId");
        eval(CURSOR, stream, ttlMillis, upstreamEventId, lease.owner(), Long.toString(lease.epoch()));
    }

    @Override
    public void complete(StreamId stream) {
        complete(stream, "", "");
    }

    @Override
    public void complete(StreamId stream, Lease lease) {
        Objects.requireNonNull(lease, "lease");
        complete(stream, lease.owner(), Long.toString(lease.epoch()));
    }

    private void complete(StreamId stream, String owner, String epoch) {
        Objects.requireNonNull(stream, "stream");
        Long outcome = eval(COMPLETE, stream, ttlMillis, keys.wakeChannel(stream), owner, epoch);
        if (outcome == 1L) {
            registry.completed(stream);
        }
    }

    @Override
    public void keepAlive(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        eval(KEEP_ALIVE, stream, ttlMillis);
    }

    @Override
    public Optional<LogState> state(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        return LogRedisCodec.state(stream, redis.call("read a log's state", c -> c.hgetall(keys.logMeta(stream))));
    }

    /**
     * {@inheritDoc} Reads the session's index, then every listed log's meta hash and open order in
     * one pipeline; a listed log that Redis has expired (or that another session now holds) is left out.
     */
    @Override
    public List<LogState> streamsOf(ProxySessionId session) {
        Objects.requireNonNull(session, "session");
        List<StreamId> streams = registry.streamsOf(session);
        if (streams.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<java.util.Map<String, String>>> metas = new ArrayList<>(streams.size());
        for (StreamId stream : streams) {
            metas.add(redis.send("read a session's logs", c -> c.hgetall(keys.logMeta(stream))));
        }
        List<Double> order = registry.openOrder(streams);
        List<java.util.Map<String, String>> replies = redis.awaitAll("read a session's logs", metas);
        record Found(LogState state, double order) {
        }
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            Optional<LogState> state = LogRedisCodec.state(streams.get(i), replies.get(i));
            Double opened = order.get(i);
            if (state.isPresent() && state.get().stream().session().equals(session)) {
                found.add(new Found(state.get(), opened == null ? Double.MAX_VALUE : opened));
            }
        }
        return found.stream()
                .sorted(java.util.Comparator.comparingDouble(Found::order).reversed()
                        .thenComparing(f -> f.state().stream().openedAt(), java.util.Comparator.reverseOrder()))
                .map(Found::state)
                .limit(limits.maxStreams())
                .toList();
    }

    @Override
    public LogSlice readAfter(StreamId stream, long afterSequence, int max) {
        Objects.requireNonNull(stream, "stream");
        requireRange(afterSequence, max);
        List<Object> reply = redis.eval(READ, ScriptOutputType.MULTI, keys.logScriptKeys(stream), Long.toString(afterSequence), Integer.toString(max));
        return LogRedisCodec.slice(stream, reply);
    }

    @Override
    public LogSlice awaitAfter(StreamId stream, long afterSequence, int max, Duration timeout) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(timeout, "timeout");
        requireRange(afterSequence, max);
        long deadline = System.nanoTime() + nanosOf(timeout);
        StreamWakeUps.Signal signal = wakeUps.register(stream.value());
        try {
            long woken = signal.interrupts();
            while (true) {
                long seen = signal.version();
                LogSlice slice = readAfter(stream, afterSequence, max);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || signal.interrupts() != woken || slice.state().map(s -> s.complete() || s.lastSequence() > afterSequence).orElse(true)) {
                    return slice;
                }
                try {
                    signal.awaitChange(seen, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)));
                } catch (InterruptedException e) {
                    LogSlice last = readAfter(stream, afterSequence, max);
                    Thread.currentThread().interrupt();
                    return last;
                }
                if (signal.interrupts() != woken) {
                    // woken by wakeWaiters: the caller learned something the log does not show (the stream's
                    // owner died) and acts on it at once; the log as just read is what it needs (an append
                    // since would have woken this wait to read again), and a take-over storm's thousands of
                    // woken followers make no read each for nothing
                    return slice;
                }
            }
        } finally {
            wakeUps.release(stream.value(), signal);
        }
    }

    /**
     * {@inheritDoc} Only this process's waiters: nothing is sent to Redis. A woken wait returns the
     * log as it read it last (before it began waiting, or when an append's wake-up made it read again).
     */
    @Override
    public void wakeWaiters(StreamId stream) {
        wakeUps.interrupt(Objects.requireNonNull(stream, "stream").value());
    }

    @Override
    public int deleteSession(ProxySessionId session) {
        Objects.requireNonNull(session, "session");
        List<StreamId> streams = registry.streamsOf(session);
        List<CompletableFuture<Long>> replies = new ArrayList<>(streams.size());
        for (StreamId stream : streams) {
            replies.add(redis.evalAsync(DROP, ScriptOutputType.INTEGER, keys.logScriptKeys(stream), session.value(), keys.wakeChannel(stream)));
        }
        int dropped = 0;
        for (Long reply : redis.awaitAll(DROP.name(), replies)) {
            dropped += reply == 1L ? 1 : 0;
        }
        registry.forget(session, streams);
        return dropped;
    }

    /** {@inheritDoc} Redis has already dropped expired logs; this forgets their registrations and says how many. */
    @Override
    public int purgeExpired() {
        return registry.pruneStale();
    }

    /** Closes this adapter's pub/sub connections; waits in progress fall back to re-checking until they end. */
    @Override
    public void close() {
        wakeUps.close();
    }

    private boolean drop(StreamId stream, String session) {
        Long dropped = eval(DROP, stream, session, keys.wakeChannel(stream));
        return dropped == 1L;
    }

    private Long eval(LuaScript script, StreamId stream, String... args) {
        Objects.requireNonNull(stream, "stream");
        return redis.eval(script, ScriptOutputType.INTEGER, keys.logScriptKeys(stream), args);
    }

    private static String flag(Optional<String> value) {
        return value.isPresent() ? "1" : "0";
    }

    private static void requireRange(long afterSequence, int max) {
        if (afterSequence < 0 || max < 0) {
            throw new IllegalArgumentException("a read starts at a position >= 0 and takes max >= 0 events, not "
                    + afterSequence + " and " + max);
        }
    }

    private static long nanosOf(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
