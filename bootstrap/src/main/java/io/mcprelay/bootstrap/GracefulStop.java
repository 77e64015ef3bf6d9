package io.mcprelay.bootstrap;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (what systemd, Kubernetes and {@code docker stop} send) and SIGINT (Ctrl-C) drain the
 * relay before it exits, as nginx's graceful quit and Envoy's drain do: see
 * {@link McpRelayServer#drain}. The process then exits 0, a normal stop. A second signal while
 * draining stops at once (still closing what can be closed), for the operator who will not wait.
 *
 * <p>The JVM's own handling of these signals runs the shutdown hooks at once and exits with
 * 128 + the signal; replacing it is the only way to drain first. Like {@link HangupSignal}, this
 * uses {@code sun.misc.Signal}, the JDK's only way to handle a signal.
 */
final class GracefulStop {

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());

    private final Runnable drainThenClose;
    private final Runnable exit;
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param drainThenClose drains and closes the relay (blocks until done)
     * @param exit           ends the process normally once drained or on a second signal
     */
    GracefulStop(Runnable drainThenClose, Runnable exit) {
        this.drainThenClose = drainThenClose;
        this.exit = exit;
    }

    /** Handles SIGTERM and SIGINT from now on; returns the signals that could not be handled (logged). */
    java.util.List<String> install() {
        java.util.List<String> unhandled = new java.util.ArrayList<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop("SIG" + signal.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                unhandled.add(name);
                LOG.log(System.Logger.Level.INFO, "SIG{0} cannot be handled here ({1}); it stops the relay without a drain", name,
                        e.getMessage());
            }
        }
        return unhandled;
    }

    /** The first call starts the drain on a thread of its own, then exits; a later one exits at once. */
    void stop(String why) {
        if (draining.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "{0}: stopping gracefully (send it again to stop at once)", why);
            Thread.ofPlatform().name("mcp-relay-drain").start(() -> {
                try {
                    drainThenClose.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the drain failed: {0}", e.toString());
                } finally {
                    exit.run();
                }
            });
        } else {
            LOG.log(System.Logger.Level.WARNING, "{0} again: stopping now, without waiting for the drain", why);
            Thread.ofPlatform().name("mcp-relay-stop").start(exit);
        }
    }
}
