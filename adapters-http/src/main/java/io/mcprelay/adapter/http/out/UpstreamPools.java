package io.mcprelay.adapter.http.out;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webclient.api.WebClient;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * One connection pool per upstream, keyed by the upstream's name and created on first use: its own
 * WebClient (not Helidon's process-wide connection cache) and two fair semaphores: {@code maxConcurrent}
 * places for requests and {@code maxStreams} for GET event streams. A slow or saturated upstream cannot
 * take connections or threads from another, and long-lived streams cannot take the places that
 * short requests need.
 *
 * <p>An exchange holds a {@link PoolPlace} from before its request is sent until its answer is read whole
 * or its stream is closed. Helidon's {@code connectionCacheSize} bounds only the <em>idle</em>
 * connections kept; the places held are what bounds the connections in use.
 */
final class UpstreamPools implements AutoCloseable {

    private record Pool(WebClient client, Semaphore places, Semaphore streamPlaces) {
    }

    private final UpstreamClientConfig config;
    private final ConcurrentMap<String, Pool> pools = new ConcurrentHashMap<>();

    UpstreamPools(UpstreamClientConfig config) {
        this.config = config;
    }

    /**
     * Waits up to {@code queueTimeout} for a place in the upstream's pool. Empty when none came in time,
     * or when the waiting thread was interrupted (its interrupt flag is then set again).
     */
    Optional<PoolPlace> acquire(String upstream) {
        return acquire(upstream, false);
    }

    /** As {@link #acquire(String)}, in the GET streams' budget when {@code stream}. */
    Optional<PoolPlace> acquire(String upstream, boolean stream) {
        Pool pool = poolOf(upstream);
        return PoolPlace.acquire(stream ? pool.streamPlaces() : pool.places(), config.queueTimeout());
    }

    /** The upstream's own WebClient. */
    WebClient client(String upstream) {
        return poolOf(upstream).client();
    }

    private Pool poolOf(String upstream) {
        Pool pool = pools.get(upstream);
        return pool != null ? pool : pools.computeIfAbsent(upstream, name -> create());
    }

    /** Places free in the upstream's pool; {@code maxConcurrent} for an upstream not called yet. */
    int availablePermits(String upstream) {
        Pool pool = pools.get(upstream);
        return pool == null ? config.maxConcurrent() : pool.places().availablePermits();
    }

    /** Places free for GET streams in the upstream's pool; {@code maxStreams} for an upstream not called yet. */
    int availableStreamPermits(String upstream) {
        Pool pool = pools.get(upstream);
        return pool == null ? config.maxStreams() : pool.streamPlaces().availablePermits();
    }

    /** Closes the idle connections of every pool; exchanges still in flight keep theirs until they end. */
    @Override
    public void close() {
        pools.values().forEach(pool -> pool.client().closeResource());
    }

    private Pool create() {
        WebClient client = WebClient.builder()
                .shareConnectionCache(false)
                .connectionCacheSize(config.connectionPoolSize())
                .keepAlive(true)
                .followRedirects(false)
                .connectionListener(FreshConnections.LISTENER)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.connectTimeout())
                        .readTimeout(config.readTimeout())
                        .tcpNoDelay(true)
                        .socketKeepAlive(true)
                        .build())
                .build();
        return new Pool(client, new Semaphore(config.maxConcurrent(), true), new Semaphore(config.maxStreams(), true));
    }
}
