package io.mcprelay.adapter.stdio;

import io.mcprelay.application.port.out.RelayMetricsPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helper: the process metrics the adapter reported, as "started fs" / "exited fs stopped". */
final class RecordingMetrics implements RelayMetricsPort {

    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void upstreamProcessStarted(String upstream) {
        seen.add("started " + upstream);
    }

    @Override
    public void upstreamProcessExited(String upstream, String cause) {
        seen.add("exited " + upstream + " " + cause);
    }
}
