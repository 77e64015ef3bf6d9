package io.mcprelay.application.port.out.upstream;

import java.util.Objects;

/**
 * A stream of an upstream's messages, read one at a time as they arrive; never accumulated. Not
 * thread-safe: one reader. {@link #close()} may be called from any thread, and makes a blocked
 * {@link #next()} return {@link Read.End} or {@link Read.Broken}. The reader must close it.
 */
public interface UpstreamEvents extends AutoCloseable {

    /** Blocks until the next event, the end of the stream, or a failure. */
    Read next();

    @Override
    void close();

    /** One step of reading a stream. */
    sealed interface Read {

        record Event(UpstreamEvent event) implements Read {
            public Event {
                Objects.requireNonNull(event, "event");
            }
        }

        /** The upstream ended the stream normally. */
        record End() implements Read {
        }

        /** The stream failed: reset, read timeout, an oversized or undecodable event, the process died. */
        record Broken(String reason) implements Read {
            public Broken {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
