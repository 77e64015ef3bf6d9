package io.mcprelay.application.service;

import io.mcprelay.application.port.in.ProbeUpstreamsUseCase;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.Objects;

/**
 * Active health checks: probes every configured upstream once per call (the composition root calls
 * it every {@link HealthCheckPolicy#interval()}), and records the verdicts, which decide whether an
 * upstream takes new sessions. A failing probe is logged when the upstream starts failing, then at
 * most every few minutes ({@link ProbeLog}).
 */
public final class HealthProbeService implements ProbeUpstreamsUseCase {

    private final UpstreamProbePort probe;
    private final UpstreamCatalog upstreams;
    private final HealthCheckPolicy policy;
    private final ProbeLog log = new ProbeLog();
    private final java.util.Optional<EraProbe> eras;

    public HealthProbeService(UpstreamProbePort probe, UpstreamCatalog upstreams, HealthCheckPolicy policy) {
        this(probe, upstreams, policy, java.util.Optional.empty());
    }

    /** With {@code eras}, whose verdicts each round of health checks refreshes ({@link EraProbe#refresh()}). */
    public HealthProbeService(UpstreamProbePort probe, UpstreamCatalog upstreams, HealthCheckPolicy policy, java.util.Optional<EraProbe> eras) {
        this.eras = Objects.requireNonNull(eras, "eras");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Probes each upstream in turn, within the policy's timeout each. */
    @Override
    public void probeAll() {
        java.util.Set<String> probed = new java.util.HashSet<>();
        for (UpstreamTarget target : upstreams.all()) {
            probed.add(target.name());
            UpstreamProbePort.Result result;
            try {
                result = probe.probe(target, policy.timeout());
            } catch (RuntimeException e) {
                result = new UpstreamProbePort.Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            log.probed(target.name(), result.healthy(), result.detail());
            upstreams.recordProbe(target.name(), result.healthy(), result.detail());
        }
        log.retain(probed);
        eras.ifPresent(EraProbe::refresh);
    }

    public HealthCheckPolicy policy() {
        return policy;
    }
}
