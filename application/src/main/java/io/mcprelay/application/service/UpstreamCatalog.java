package io.mcprelay.application.service;

import io.mcprelay.domain.routing.UpstreamSelection;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The configured upstreams: finds a session's upstream by name, and picks one for a new session. */
public final class UpstreamCatalog {

    private final List<UpstreamTarget> upstreams;
    private final AtomicLong turn = new AtomicLong();

    public UpstreamCatalog(List<UpstreamTarget> upstreams) {
        this.upstreams = List.copyOf(upstreams);
        if (this.upstreams.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream is required");
        }
        var names = new HashSet<String>();
        for (UpstreamTarget u : this.upstreams) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("upstream names must be unique: " + u.name());
            }
        }
    }

    /** The upstream for a new session (round-robin), or empty when none can take one. */
    public Optional<UpstreamTarget> pickForNewSession() {
        return UpstreamSelection.roundRobin(upstreams, turn.getAndIncrement());
    }

    /** The upstream named {@code name}, if it is still configured. */
    public Optional<UpstreamTarget> byName(String name) {
        return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public List<UpstreamTarget> all() {
        return upstreams;
    }
}
