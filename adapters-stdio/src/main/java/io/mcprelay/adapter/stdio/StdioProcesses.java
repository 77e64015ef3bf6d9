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

    private static final String KEY_PREFIX = "stdio.";

    private final StdioSettings settings;
    private final RelayMetricsPort metrics;
    private final String instance;
    private final Thread reaper;
    private final Map<String, StdioProcess> byKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUpstream = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param instance this relay instance's id, written into every session key, so that a request
     *                 for a session whose process runs on another instance is told so
     */
    public StdioProcesses(StdioSettings settings, RelayMetricsPort metrics, String instance) {
        if (instance.isBlank() || !instance.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '.')) {
            throw new IllegalArgumentException("an instance id is visible ASCII without '.': " + instance);
        }
        this.settings = settings;
        this.metrics = metrics;
        this.instance = instance;
        this.reaper = Thread.ofVirtual().name("stdio-idle-reaper").start(this::reapIdle);
    }

    /**
     * Stops the processes of sessions idle past {@link StdioSettings#idleTimeout()}: the relay's
     * session has expired (nothing tells an adapter so), and its process must not outlive it.
     */
    private void reapIdle() {
        long every = Math.max(50, Math.min(settings.idleTimeout().toMillis() / 4, 30_000));
        while (!closed) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            byKey.values().stream().filter(p -> p.idleFor(settings.idleTimeout(), now)).forEach(p -> {
                LOG.log(Level.INFO, "upstream {0}: session {1} idle for {2}; stopping its process", p.upstream(), p.session(),
                        settings.idleTimeout());
                Thread.ofVirtual().start(() -> p.stop(ProcessExit.Cause.STOPPED));
            });
        }
    }

    /** This relay instance's id. */
    String instance() {
        return instance;
    }

    /** The instance a session key was made on, if it is one of ours in form. */
    Optional<String> instanceOf(String key) {
        if (!key.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        int end = key.lastIndexOf('.');
        return end > KEY_PREFIX.length() ? Optional.of(key.substring(KEY_PREFIX.length(), end)) : Optional.empty();
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
        String key = KEY_PREFIX + instance + "." + UUID.randomUUID();
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
        process.watch();    // only now: its end, however soon, finds it registered
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
        reaper.interrupt();
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
