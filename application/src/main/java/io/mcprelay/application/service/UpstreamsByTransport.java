package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.routing.TransportKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream port the use cases get: hands every call to the adapter registered for its target's
 * {@link TransportKind}, so that one relay mixes HTTP and stdio upstreams. Adding a transport is one
 * more entry in the map the composition root passes here.
 *
 * <p>A target whose kind has no adapter is refused at start-up ({@link #requireAdapters}); one that
 * appears later (a reloaded configuration) is {@link UpstreamReply.Unreachable.Cause#CONNECT
 * unreachable}, with the reason, rather than a failure deep in a request.
 */
public final class UpstreamsByTransport implements UpstreamPort {

    private final Map<TransportKind, UpstreamPort> adapters;

    public UpstreamsByTransport(Map<TransportKind, ? extends UpstreamPort> adapters) {
        Objects.requireNonNull(adapters, "adapters");
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no upstream adapter registered");
        }
        this.adapters = new EnumMap<>(adapters);
    }

    /**
     * Checks that every one of {@code targets} has an adapter for its transport.
     *
     * @throws IllegalArgumentException naming the first upstream that has none, and the kinds there are
     */
    public void requireAdapters(Collection<UpstreamTarget> targets) {
        for (UpstreamTarget target : targets) {
            if (!adapters.containsKey(target.kind())) {
                throw new IllegalArgumentException("upstream " + target.name() + " (" + target.address() + ") uses the "
                        + target.kind().name().toLowerCase(java.util.Locale.ROOT) + " transport, but this relay has no adapter for it"
                        + " (it has: " + adapters.keySet().toString().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
    }

    /** The adapter for {@code kind}, if one is registered. */
    public Optional<UpstreamPort> adapterFor(TransportKind kind) {
        return Optional.ofNullable(adapters.get(kind));
    }

    @Override
    public UpstreamReply send(UpstreamCall call) {
        UpstreamPort adapter = adapters.get(call.session().target().kind());
        return adapter == null ? missing(call.session().target()) : adapter.send(call);
    }

    @Override
    public UpstreamReply listen(UpstreamSession session) {
        UpstreamPort adapter = adapters.get(session.target().kind());
        return adapter == null ? missing(session.target()) : adapter.listen(session);
    }

    @Override
    public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        UpstreamPort adapter = adapters.get(session.target().kind());
        return adapter == null ? missing(session.target()) : adapter.resume(session, cursor, budget);
    }

    @Override
    public UpstreamReply end(UpstreamSession session) {
        UpstreamPort adapter = adapters.get(session.target().kind());
        return adapter == null ? missing(session.target()) : adapter.end(session);
    }

    private static UpstreamReply missing(UpstreamTarget target) {
        return new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CONNECT,
                "no adapter for the " + target.kind().name().toLowerCase(java.util.Locale.ROOT) + " transport of upstream " + target.name());
    }
}
