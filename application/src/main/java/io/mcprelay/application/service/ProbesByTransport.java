package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.routing.TransportKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The health probe the use cases get: each upstream is probed by the probe of its transport (an
 * HTTP upstream by the chosen HTTP client, a stdio one by the stdio adapter). An upstream whose
 * transport has no probe is reported unhealthy, with the reason, never probed by the wrong one.
 */
public final class ProbesByTransport implements UpstreamProbePort {

    private final Map<TransportKind, UpstreamProbePort> probes;

    public ProbesByTransport(Map<TransportKind, ? extends UpstreamProbePort> probes) {
        this.probes = new EnumMap<>(TransportKind.class);
        this.probes.putAll(Objects.requireNonNull(probes, "probes"));
    }

    @Override
    public Result probe(UpstreamTarget target, Duration timeout) {
        UpstreamProbePort probe = probes.get(target.kind());
        if (probe == null) {
            return new Result(false, "no health probe for the " + target.kind().name().toLowerCase(Locale.ROOT) + " transport");
        }
        return probe.probe(target, timeout);
    }
}
