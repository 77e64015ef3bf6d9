package io.mcprelay.adapter.stdio;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of the stdio adapter.
 *
 * @param maxLineBytes           longest line read from a process's stdout or stderr; defaults to 8 MiB.
 *                               A longer line on stdout stops the process (the stream cannot be
 *                               trusted to be in step), on stderr it is left out of the log
 * @param startupTimeout         how long a new process has to answer {@code initialize}; defaults to 30 s
 *                               ({@code npx} may download the package first)
 * @param answerTimeout          how long a request waits for the first message of its answer; defaults to 60 s
 * @param stdinGrace             after stdin is closed, how long the process has to exit before SIGTERM; defaults to 2 s
 * @param termGrace              after SIGTERM, how long before SIGKILL; defaults to 3 s
 * @param stderrLinesPerSecond   stderr lines logged per process and second, the rest counted; defaults to 20
 * @param standaloneCapacity     messages kept for a session's standalone stream while no client reads
 *                               it; defaults to 256
 * @param requestCapacity        messages queued on one request's stream for a slow client; defaults to 1,024
 * @param maxProcessesPerUpstream processes one upstream may run at once (one per session); defaults to 64
 * @param idleTimeout            a process whose session had no call, no listener and no pending request for
 *                               this long is stopped (the relay session has expired); defaults to 30 minutes, and
 *                               bootstrap sets the relay's {@code --session-ttl}
 */
public record StdioSettings(int maxLineBytes, Duration startupTimeout, Duration answerTimeout, Duration stdinGrace,
                            Duration termGrace, int stderrLinesPerSecond, int standaloneCapacity, int requestCapacity,
                            int maxProcessesPerUpstream, Duration idleTimeout) {

    public StdioSettings {
        positive(maxLineBytes, "maxLineBytes");
        positive(stderrLinesPerSecond, "stderrLinesPerSecond");
        positive(standaloneCapacity, "standaloneCapacity");
        positive(requestCapacity, "requestCapacity");
        positive(maxProcessesPerUpstream, "maxProcessesPerUpstream");
        for (Duration d : new Duration[] {startupTimeout, answerTimeout, stdinGrace, termGrace, idleTimeout}) {
            Objects.requireNonNull(d, "a duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }
    }

    /** The defaults listed above. */
    public static StdioSettings defaults() {
        return new StdioSettings(8 * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(2),
                Duration.ofSeconds(3), 20, 256, 1024, 64, Duration.ofMinutes(30));
    }

    public StdioSettings withMaxProcessesPerUpstream(int max) {
        return new StdioSettings(maxLineBytes, startupTimeout, answerTimeout, stdinGrace, termGrace, stderrLinesPerSecond,
                standaloneCapacity, requestCapacity, max, idleTimeout);
    }

    public StdioSettings withStartupTimeout(Duration timeout) {
        return new StdioSettings(maxLineBytes, timeout, answerTimeout, stdinGrace, termGrace, stderrLinesPerSecond,
                standaloneCapacity, requestCapacity, maxProcessesPerUpstream, idleTimeout);
    }

    public StdioSettings withAnswerTimeout(Duration timeout) {
        return new StdioSettings(maxLineBytes, startupTimeout, timeout, stdinGrace, termGrace, stderrLinesPerSecond,
                standaloneCapacity, requestCapacity, maxProcessesPerUpstream, idleTimeout);
    }

    public StdioSettings withIdleTimeout(Duration timeout) {
        return new StdioSettings(maxLineBytes, startupTimeout, answerTimeout, stdinGrace, termGrace, stderrLinesPerSecond,
                standaloneCapacity, requestCapacity, maxProcessesPerUpstream, timeout);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
