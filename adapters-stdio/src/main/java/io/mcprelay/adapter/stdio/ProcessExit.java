package io.mcprelay.adapter.stdio;

import java.util.Locale;
import java.util.Objects;

/**
 * How a process ended, for the log, the metrics (one label value per {@link Cause}) and the error a
 * client gets.
 *
 * @param exitCode the process's exit status, or -1 if it never started
 */
public record ProcessExit(Cause cause, int exitCode, String detail) {

    /** Why a process ended; a fixed set, so it can be a metric label. */
    public enum Cause {
        /** The relay closed its stdin (DELETE, session expiry, shutdown) and it exited by itself. */
        STOPPED,
        /** It needed SIGTERM after stdin was closed. */
        TERMINATED,
        /** It needed SIGKILL. */
        KILLED,
        /** It exited on its own while its session was live (crash, or a server that quits). */
        EXITED,
        /** It broke the protocol (garbage before its first message, a line over the bound) and was stopped. */
        BROKEN,
        /** It never answered initialize within the start-up time, and was stopped. */
        START_TIMEOUT,
        /** It could not be started at all (no such command, not executable, bad working directory). */
        FAILED_TO_START;

        /** The metric label: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ProcessExit {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
    }
}
