package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.mcprelay.application.port.out.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Redis client of one mcp-relay instance: one Lettuce client and one shared connection for every
 * command of every Redis store (Lettuce connections are thread-safe and pipeline concurrent commands),
 * plus the pub/sub connections the replay logs wait on. Construct one in bootstrap, hand it to the
 * adapters, and close it last.
 *
 * <p><b>Failures.</b> Nothing Lettuce throws leaves this class: every failure (connection refused,
 * command timeout, a Redis error) becomes a {@link StoreUnavailableException} whose message names
 * the operation and the Redis (without its password). Commands wait at most the configured command
 * timeout. While the connection is down, commands are rejected at once rather than queued, so that
 * nothing reported as failed runs later behind the caller's back.
 *
 * <p><b>Client-side caching.</b> {@link #trackingLane} opens a second command connection, always
 * RESP3 (Redis 6 or newer), for a store that keeps a near-cache validated by Redis's
 * {@code CLIENT TRACKING}: invalidation pushes arrive on the connection whose reads are tracked, so
 * that connection must be its own.
 *
 * <p><b>Cluster.</b> The adapters see commands only as {@code RedisClusterAsyncCommands}, which a
 * Cluster connection also offers, and their keys are laid out for a Cluster (see {@link RedisKeys}):
 * supporting one means building a {@code RedisClusterClient} here when the configuration asks for it;
 * the adapters would not change.
 *
 * <p><b>Start-up and reconnection.</b> Constructing this object does not connect, so starting with
 * Redis down does not fail the start-up: the first command connects, and if Redis is unreachable
 * it fails with {@link StoreUnavailableException} (each later command tries again). Once connected,
 * Lettuce reconnects by itself after an outage, retrying with an exponential delay from 100 ms up
 * to {@value #MAX_RECONNECT_DELAY_SECONDS} seconds, and re-subscribes the pub/sub connections.
 */
public final class RedisConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());
    private static final int MAX_RECONNECT_DELAY_SECONDS = 5;
    private static final int TRACKING_KEEPALIVE_IDLE_SECONDS = 5;
    private static final Duration TRACKING_KEEPALIVE_IDLE = Duration.ofSeconds(TRACKING_KEEPALIVE_IDLE_SECONDS);
    /** Lettuce's own timeout fires first; this is the backstop should it not. */
    private static final Duration AWAIT_MARGIN = Duration.ofSeconds(1);

    private final RedisConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    /** The client of {@link #trackingLane}s: RESP3, which carries invalidation pushes; created on first use. */
    private volatile RedisClient resp3Client;
    private final ReentrantLock clientLock = new ReentrantLock();
    private final List<StatefulRedisPubSubConnection<String, String>> pubSubs = new CopyOnWriteArrayList<>();
    private final List<RedisLane> lanes = new CopyOnWriteArrayList<>();
    private final List<StatefulRedisConnection<byte[], byte[]>> binaries = new CopyOnWriteArrayList<>();
    private final RedisLane shared;
    private volatile boolean closed;

    static {
        // Lettuce hands back netty types (shutting ClientResources down returns a netty Future). Netty
        // is not required by this module's descriptor (Lettuce is an automatic module that does not
        // re-export it), so when mcp-relay runs on the module path, or as another module's test
        // dependency, this module must read netty's module itself, wherever netty was loaded.
        readModuleOf("io.netty.util.concurrent.Future");
    }

    private static void readModuleOf(String className) {
        try {
            Module netty = Class.forName(className, false, RedisConnection.class.getClassLoader()).getModule();
            RedisConnection.class.getModule().addReads(netty);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("netty is missing from the class or module path (Lettuce needs it)", e);
        }
    }

    /** A client for the Redis {@code config} names; connects on first use. */
    public RedisConnection(RedisConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(MAX_RECONNECT_DELAY_SECONDS),
                        2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new ConsolidatedFlushes())
                .build();
        this.client = RedisClient.create(resources, config.redisUri());
        client.setOptions(clientOptions().build());
        this.shared = new RedisLane(this, "shared", () -> client);
    }

    private ClientOptions.Builder clientOptions() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()));
    }

    /** The configuration this connection was built from. */
    public RedisConfig config() {
        return config;
    }

    /** Closes the pub/sub connections, the shared connection and the client; later commands fail as unavailable. */
    @Override
    public void close() {
        closed = true;
        for (StatefulRedisPubSubConnection<String, String> pubSub : pubSubs) {
            closeQuietly(pubSub::close);
        }
        shared.close();
        for (RedisLane lane : lanes) {
            lane.close();
        }
        for (StatefulRedisConnection<byte[], byte[]> binary : binaries) {
            closeQuietly(binary::close);
        }
        RedisClient tracking = resp3Client;
        if (tracking != null) {
            closeQuietly(() -> tracking.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        }
        closeQuietly(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        closeQuietly(resources::shutdown);
    }

    // ---- commands, for the adapters of this package

    /** Runs one command and waits for its answer. */
    <T> T call(String what, Function<RedisClusterAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        return call(shared, what, command);
    }

    /** Runs one command on {@code lane} and waits for its answer. */
    <T> T call(RedisLane lane, String what, Function<RedisClusterAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        return await(what, send(lane, what, command));
    }

    /** Sends one command without waiting: the way to pipeline several, then {@link #awaitAll} them. */
    <T> CompletableFuture<T> send(String what, Function<RedisClusterAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        return send(shared, what, command);
    }

    /** Sends one command on {@code lane} without waiting (see {@link #send(String, Function)}). */
    <T> CompletableFuture<T> send(RedisLane lane, String what,
            Function<RedisClusterAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        RedisClusterAsyncCommands<String, String> commands = lane.commands(what);
        try {
            return command.apply(commands).toCompletableFuture();
        } catch (RuntimeException e) {
            // Lettuce (and netty under it) throw more than RedisException, e.g. once shut down.
            throw unavailable(what, e);
        }
    }

    /** Runs a script and waits for its answer. */
    <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return eval(shared, script, type, keys, args);
    }

    /** Runs a script on {@code lane} and waits for its answer. */
    <T> T eval(RedisLane lane, LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return await(script.name(), evalAsync(lane, script, type, keys, args));
    }

    /**
     * Sends a script by its digest, and its source should Redis not know it (after a restart or a
     * SCRIPT FLUSH), without waiting.
     */
    <T> CompletableFuture<T> evalAsync(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return evalAsync(shared, script, type, keys, args);
    }

    private <T> CompletableFuture<T> evalAsync(RedisLane lane, LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        RedisClusterAsyncCommands<String, String> commands = lane.commands(script.name());
        try {
            CompletableFuture<T> bySha = commands.<T>evalsha(script.sha1(), type, keys, args).toCompletableFuture();
            return bySha.exceptionallyCompose(failure -> rootCause(failure) instanceof RedisNoScriptException
                    ? commands.<T>eval(script.source(), type, keys, args).toCompletableFuture()
                    : CompletableFuture.failedFuture(failure));
        } catch (RuntimeException e) {
            throw unavailable(script.name(), e);
        }
    }

    /** Waits for a command sent with {@link #send} or {@link #evalAsync}. */
    <T> T await(String what, CompletableFuture<T> future) {
        return awaitUntil(what, future, System.nanoTime() + awaitLimit().toNanos());
    }

    /** Waits for every command of a pipeline, all within one command timeout; their answers in order. */
    <T> List<T> awaitAll(String what, List<CompletableFuture<T>> futures) {
        long deadline = System.nanoTime() + awaitLimit().toNanos();
        List<T> results = new ArrayList<>(futures.size());
        for (CompletableFuture<T> future : futures) {
            results.add(awaitUntil(what, future, deadline));
        }
        return results;
    }

    /**
     * A new pub/sub connection with {@code listener} attached, owned (and closed) by this object;
     * Lettuce re-subscribes it after a reconnection.
     */
    StatefulRedisPubSubConnection<String, String> connectPubSub(RedisPubSubListener<String, String> listener) {
        requireOpen("subscribe");
        try {
            StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
            pubSub.addListener(listener);
            pubSubs.add(pubSub);
            return pubSub;
        } catch (RuntimeException e) {
            throw unavailable("subscribe", e);
        }
    }

    /** Closes a connection from {@link #connectPubSub}. */
    void closePubSub(StatefulRedisPubSubConnection<String, String> pubSub) {
        pubSubs.remove(pubSub);
        closeQuietly(pubSub::close);
    }

    /**
     * A new command connection with binary keys and values, connected now, owned (and closed) by this
     * object: for a library that keeps its own encoding in Redis (the rate limits' Bucket4j buckets).
     * Lettuce reconnects it by itself after an outage.
     */
    StatefulRedisConnection<byte[], byte[]> connectBinary(String what) {
        requireOpen(what);
        try {
            StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE);
            binaries.add(binary);
            return binary;
        } catch (RuntimeException e) {
            throw unavailable(what, e);
        }
    }

    /**
     * A plain command connection of its own, owned (and closed) by this object and opened on first
     * use: for commands that must not queue behind the shared connection's traffic (an instance's
     * liveness renewal behind thousands of appends).
     */
    RedisLane lane(String name) {
        requireOpen(name);
        RedisLane lane = new RedisLane(this, name, () -> client);
        lanes.add(lane);
        return lane;
    }

    /**
     * A command connection of its own, RESP3, owned (and closed) by this object, for reads whose keys
     * Redis is to track ({@code CLIENT TRACKING}, which the caller enables). It connects on first use;
     * {@code pushes} receives the connection's push messages and {@code states} its disconnections
     * and reconnections (after which tracking is off again until re-enabled). TCP keep-alive probes
     * it after {@value #TRACKING_KEEPALIVE_IDLE_SECONDS} s of silence, so that a peer gone without a
     * reset counts as a disconnection within seconds, not hours.
     */
    RedisLane trackingLane(String name, PushListener pushes, RedisConnectionStateListener states) {
        requireOpen(name);
        RedisLane lane = new RedisLane(this, name, this::resp3Client, connection -> {
            connection.addListener(pushes);
            connection.addListener(states);
        });
        lanes.add(lane);
        return lane;
    }

    // ---- internals

    private RedisClient resp3Client() {
        RedisClient tracking = resp3Client;
        if (tracking != null) {
            return tracking;
        }
        clientLock.lock();
        try {
            if (resp3Client == null) {
                RedisClient created = RedisClient.create(resources, config.redisUri());
                // Keep-alive probes after 5 s of silence notice a dead peer within about 10 s (where the
                // transport supports the extended options; Lettuce warns where not): a tracked connection
                // that died silently would otherwise keep a near-cache believing nothing changed.
                created.setOptions(clientOptions().protocolVersion(ProtocolVersion.RESP3)
                        .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout())
                                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                                        .idle(TRACKING_KEEPALIVE_IDLE).interval(Duration.ofSeconds(1)).count(3).build())
                                .build())
                        .build());
                resp3Client = created;
            }
            return resp3Client;
        } finally {
            clientLock.unlock();
        }
    }

    private Duration awaitLimit() {
        return config.commandTimeout().plus(AWAIT_MARGIN);
    }

    /**
     * Waits without giving up on an interrupt: the command is bounded by its timeout anyway, and an
     * answer half-read would leave the caller unsure what happened. The interrupt is set again after.
     */
    private <T> T awaitUntil(String what, CompletableFuture<T> future, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CompletionException e) {
                    throw unavailable(what, rootCause(e));
                } catch (TimeoutException e) {
                    future.cancel(false);
                    throw new StoreUnavailableException("Redis at " + config.safeUrl() + " did not answer " + what
                            + " within " + config.commandTimeout(), e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    StoreUnavailableException unavailable(String what, Throwable cause) {
        String why = switch (cause) {
            case RedisCommandTimeoutException timeout -> "did not answer within " + config.commandTimeout();
            case RedisConnectionException refused -> "is unreachable (" + refused.getMessage() + ")";
            case Throwable other when closed -> "is closed to this instance (" + other.getMessage() + ")";
            default -> "failed (" + cause.getMessage() + ")";
        };
        return new StoreUnavailableException("Redis at " + config.safeUrl() + " " + why + ": " + what, cause);
    }

    void requireOpen(String what) {
        if (closed) {
            throw new StoreUnavailableException("Redis at " + config.safeUrl() + " is closed to this instance: " + what,
                    new IllegalStateException("RedisConnection closed"));
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a Redis resource failed", e);
        }
    }
}
