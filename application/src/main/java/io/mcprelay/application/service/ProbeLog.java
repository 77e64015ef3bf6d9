package io.mcprelay.application.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the health probes log: a change of state, not every probe. An upstream whose probe starts
 * failing is logged at once (WARNING); while it keeps failing, once every {@link #REPEAT} at most,
 * with how many probes failed; when it passes again, once (INFO). A dead upstream probed every 10
 * seconds was a warning every 10 seconds, which buried everything else in the log.
 */
final class ProbeLog {

    private static final System.Logger LOG = System.getLogger(HealthProbeService.class.getName());
    /** How often an upstream that keeps failing is reported again. */
    static final Duration REPEAT = Duration.ofMinutes(5);

    private final LongSupplier nanoTime;
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    ProbeLog() {
        this(System::nanoTime);
    }

    ProbeLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Notes one probe's verdict; returns whether it was logged (for tests). */
    boolean probed(String upstream, boolean healthy, String detail) {
        long now = nanoTime.getAsLong();
        if (healthy) {
            Failing was = failing.remove(upstream);
            if (was != null) {
                LOG.log(System.Logger.Level.INFO, "upstream {0}: health probe passes again (after {1} failed probes)", upstream, was.failures);
                return true;
            }
            return false;
        }
        Failing state = failing.get(upstream);
        if (state == null) {
            failing.put(upstream, new Failing(now));
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: health probe failed: {1}", upstream, detail);
            return true;
        }
        state.failures++;
        if (now - state.loggedAt >= REPEAT.toNanos()) {
            state.loggedAt = now;
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: health probe still failing ({1} probes in a row): {2}", upstream,
                    state.failures, detail);
            return true;
        }
        return false;
    }

    /** Forgets upstreams that are no longer probed. */
    void retain(java.util.Set<String> upstreams) {
        failing.keySet().retainAll(upstreams);
    }

    private static final class Failing {
        private long loggedAt;
        private int failures = 1;

        Failing(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }
}
