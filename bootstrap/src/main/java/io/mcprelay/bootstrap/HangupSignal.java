package io.mcprelay.bootstrap;

/**
 * SIGHUP, the Unix convention for "re-read your configuration". The JDK has no supported API for
 * signals; {@code sun.misc.Signal} (module jdk.unsupported) is the one everybody uses, so it is kept
 * to this one class.
 */
final class HangupSignal {

    private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());

    private HangupSignal() {
    }

    /**
     * Runs {@code action} on every SIGHUP (on the JVM's signal thread: it should only hand work off).
     * Returns {@code false}, and logs why, where the platform has no SIGHUP (Windows) or the JVM
     * reserves it.
     */
    static boolean onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.INFO, "SIGHUP cannot be handled here ({0}); the configuration is reloaded when its file changes",
                    e.getMessage());
            return false;
        }
    }
}
