package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One command connection, opened on first use: a failed attempt leaves the next caller to try
 * again. Lettuce reconnects it by itself once it has connected.
 */
final class RedisLane {

    private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());

    private final RedisConnection owner;
    private final String name;
    private final Supplier<RedisClient> client;
    private final Consumer<StatefulRedisConnection<String, String>> onConnect;
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;

    RedisLane(RedisConnection owner, String name, Supplier<RedisClient> client) {
        this(owner, name, client, connection -> { });
    }

    RedisLane(RedisConnection owner, String name, Supplier<RedisClient> client,
              Consumer<StatefulRedisConnection<String, String>> onConnect) {
        this.owner = owner;
        this.name = name;
        this.client = client;
        this.onConnect = onConnect;
    }

    RedisClusterAsyncCommands<String, String> commands(String what) {
        owner.requireOpen(what);
        StatefulRedisConnection<String, String> open = connection;
        if (open == null) {
            open = connect(what);
        }
        return open.async();
    }

    private StatefulRedisConnection<String, String> connect(String what) {
        connectLock.lock();
        try {
            if (connection == null) {
                owner.requireOpen(what);
                StatefulRedisConnection<String, String> opened = client.get().connect();
                onConnect.accept(opened);
                connection = opened;
                LOG.log(System.Logger.Level.INFO, "connected to Redis at {0} ({1} connection)", owner.config().safeUrl(), name);
            }
            return connection;
        } catch (RuntimeException e) {
            throw owner.unavailable(what, e);
        } finally {
            connectLock.unlock();
        }
    }

    void close() {
        connectLock.lock();
        try {
            StatefulRedisConnection<String, String> open = connection;
            if (open != null) {
                RedisConnection.closeQuietly(open::close);
            }
        } finally {
            connectLock.unlock();
        }
    }
}
