package io.mcprelay.application.service;

import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link SessionStorePort} that times every operation of the store it wraps and reports it with
 * {@link RelayMetricsPort#storeOperation}: the operation's name (the method's), its latency, and
 * whether the store was unavailable. Results and exceptions pass through unchanged; an operation that
 * throws something other than {@link StoreUnavailableException} (a caller error such as a foreign
 * cursor) is timed but not counted as failed.
 */
public final class MeteredSessionStore implements SessionStorePort {

    private final SessionStorePort delegate;
    private final RelayMetricsPort metrics;

    public MeteredSessionStore(SessionStorePort delegate, RelayMetricsPort metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public CreateOutcome create(Session session) {
        return timed("create", () -> delegate.create(session));
    }

    @Override
    public Optional<Session> find(ProxySessionId id) {
        return timed("find", () -> delegate.find(id));
    }

    @Override
    public Optional<Session> touch(ProxySessionId id) {
        return timed("touch", () -> delegate.touch(id));
    }

    @Override
    public Optional<Session> bindUpstream(ProxySessionId id, UpstreamSessionId upstreamSessionId) {
        return timed("bindUpstream", () -> delegate.bindUpstream(id, upstreamSessionId));
    }

    @Override
    public boolean delete(ProxySessionId id) {
        return timed("delete", () -> delegate.delete(id));
    }

    @Override
    public SessionPage list(SessionQuery query) {
        return timed("list", () -> delegate.list(query));
    }

    @Override
    public Map<ProxySessionId, Session> findAll(Collection<ProxySessionId> ids) {
        return timed("findAll", () -> delegate.findAll(ids));
    }

    @Override
    public int deleteAll(Collection<ProxySessionId> ids) {
        return timed("deleteAll", () -> delegate.deleteAll(ids));
    }

    @Override
    public java.util.List<Session> sessionsOf(io.mcprelay.domain.session.ClientKey owner, int max) {
        return timed("sessionsOf", () -> delegate.sessionsOf(owner, max));
    }

    @Override
    public Optional<OwnerCount> busiestOwner() {
        return timed("busiestOwner", delegate::busiestOwner);
    }

    @Override
    public int purgeExpired() {
        return timed("purgeExpired", delegate::purgeExpired);
    }

    @Override
    public long count() {
        return timed("count", delegate::count);
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long started = System.nanoTime();
        boolean failed = false;
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            failed = true;
            throw e;
        } finally {
            metrics.storeOperation(operation, Duration.ofNanos(System.nanoTime() - started), failed);
        }
    }
}
