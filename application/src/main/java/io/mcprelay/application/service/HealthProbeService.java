package io.mcprelay.application.service;

import io.mcprelay.application.port.in.ProbeUpstreamsUseCase;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.Objects;

/**
 * Active health checks: probes every configured upstream once per call (the composition root calls
 * it every {@link HealthCheckPolicy#interval()}), and records the verdicts, which decide whether an
 * upstream takes new sessions.
 */
public final class HealthProbeService implements ProbeUpstreamsUseCase {

    private static final System.Logger LOG = System.getLogger(HealthProbeService.class.getName());

    private final UpstreamProbePort probe;
    private final UpstreamCatalog upstreams;
    private final HealthCheckPolicy policy;

    public HealthProbeService(UpstreamProbePort probe, UpstreamCatalog upstreams, HealthCheckPolicy policy) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Probes each upstream in turn, within the policy's timeout each. */
    @Override
    public void probeAll() {
        for (UpstreamTarget target : upstreams.all()) {
            UpstreamProbePort.Result result;
            try {
                result = probe.probe(target, policy.timeout());
            } catch (RuntimeException e) {
                result = new UpstreamProbePort.Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!result.healthy()) {
                LOG.log(System.Logger.Level.WARNING, "upstream {0}: health probe failed: {1}", target.name(), result.detail());
            }
            upstreams.recordProbe(target.name(), result.healthy(), result.detail());
        }
    }

    public HealthCheckPolicy policy() {
        return policy;
    }
}
