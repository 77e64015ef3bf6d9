package io.mcprelay.adapter.http.admin;

import io.mcprelay.application.port.in.DrainUpstreamUseCase;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.InterceptorStatusQuery;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the admin API and the console read and act on, shared by both: the use cases, the live
 * numbers and recorded traffic, and who this instance is.
 */
record AdminState(ListSessionsQuery sessions, EvictSessionUseCase evict, UpstreamStatusQuery upstreams, DrainUpstreamUseCase drain,
                  InterceptorStatusQuery interceptors, ConsoleTraffic traffic, String instanceId, String version,
                  Supplier<Instant> clock, Instant startedAt) {

    AdminState {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(evict, "evict");
        Objects.requireNonNull(upstreams, "upstreams");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(interceptors, "interceptors");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    AdminPages.Header header() {
        return new AdminPages.Header(instanceId, version, startedAt, clock.get());
    }

    long sessionCount() {
        return sessions.listSessions(SessionQuery.firstPage(1)).total();
    }

    /** The charts' numbers: the traffic window with the open streams sampled now (the window keeps the highest per second). */
    TrafficWindow chartWindow() {
        traffic.openStreams();
        return traffic.window();
    }

    int openStreams() {
        return traffic.openStreams();
    }

    /** Ends the session, if it is one, and forgets its recorded traffic; {@code true} if it was live. */
    boolean evict(Optional<ProxySessionId> id) {
        if (id.isPresent() && evict.evict(id.get())) {
            traffic.sessions().forget(id.get().value());
            return true;
        }
        return false;
    }
}
