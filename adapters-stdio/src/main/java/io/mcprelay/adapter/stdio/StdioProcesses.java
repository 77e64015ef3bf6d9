package io.mcprelay.adapter.stdio;

import io.mcprelay.application.port.out.RelayMetricsPort;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stdio server processes this relay instance runs, one per relay session, each known by the
 * upstream session key the adapter gave its session at {@code initialize}. Bounds them per upstream
 * ({@link StdioSettings#maxProcessesPerUpstream()}); the relay's {@code --max-sessions} bounds them
 * overall, since each process belongs to a session. {@link #close()} stops them all (the relay's
 * shutdown). Counts starts and exits by cause in the metrics.
 */
public final class StdioProcesses implements AutoCloseable {

    private static final Logger LOG = System.getLogger(StdioProcesses.class.getName());

    private final StdioSettings settings;
    private final RelayMetricsPort metrics;
    private final Map<String, StdioProcess> byKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUpstream = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public StdioProcesses(StdioSettings settings, RelayMetricsPort metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Refused before anything started: the upstream already runs its maximum of processes. */
    static final class LimitReachedException extends Exception {
        private static final long serialVersionUID = 1L;

        LimitReachedException(String message) {
            super(message);
        }
    }

    StdioSettings settings() {
        return settings;
    }

    /** Starts a process for a new session; its key is what later calls name the session by. */
    StdioProcess start(ProcessSpec spec) throws StdioProcess.LaunchFailedException, LimitReachedException {
        if (closed) {
            throw new StdioProcess.LaunchFailedException("the relay is shutting down");
        }
        AtomicInteger count = perUpstream.computeIfAbsent(spec.upstream(), u -> new AtomicInteger());
        if (count.incrementAndGet() > settings.maxProcessesPerUpstream()) {
            count.decrementAndGet();
            throw new LimitReachedException("upstream " + spec.upstream() + " already runs " + settings.maxProcessesPerUpstream()
                    + " processes (one per session), its limit");
        }
        String key = "stdio-" + UUID.randomUUID();
        StdioProcess process;
        try {
            process = StdioProcess.launch(spec, key, settings, exit -> ended(spec.upstream(), key, exit));
        } catch (StdioProcess.LaunchFailedException e) {
            count.decrementAndGet();
            metrics.upstreamProcessExited(spec.upstream(), ProcessExit.Cause.FAILED_TO_START.label());
            throw e;
        }
        byKey.put(key, process);
        metrics.upstreamProcessStarted(spec.upstream());
        LOG.log(Level.INFO, "upstream {0}: started process {1} for session {2}", spec.upstream(), process.pid(), key);
        return process;
    }

    private void ended(String upstream, String key, ProcessExit exit) {
        if (byKey.remove(key) != null) {
            perUpstream.get(upstream).decrementAndGet();
        }
        metrics.upstreamProcessExited(upstream, exit.cause().label());
    }

    /** The live process of a session, if this instance runs one. */
    Optional<StdioProcess> find(String key) {
        return Optional.ofNullable(byKey.get(key)).filter(StdioProcess::alive);
    }

    /** Stops a session's process (DELETE, expiry); blocks until it is reaped. Empty if there was none. */
    Optional<ProcessExit> stop(String key, ProcessExit.Cause cause) {
        StdioProcess process = byKey.get(key);
        return process == null ? Optional.empty() : Optional.of(process.stop(cause));
    }

    /** Processes running for {@code upstream}. */
    public int alive(String upstream) {
        AtomicInteger count = perUpstream.get(upstream);
        return count == null ? 0 : count.get();
    }

    /** Processes running for all upstreams. */
    public int alive() {
        return byKey.size();
    }

    /** Stops every process at once (each on its own thread) and waits until all are reaped. */
    @Override
    public void close() {
        closed = true;
        List<Thread> stoppers = new ArrayList<>();
        for (StdioProcess process : byKey.values()) {
            stoppers.add(Thread.ofVirtual().start(() -> process.stop(ProcessExit.Cause.STOPPED)));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
