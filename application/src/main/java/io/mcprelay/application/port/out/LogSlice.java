package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import java.util.List;
import java.util.Optional;

/**
 * Events read from a replay log, oldest first, and the log's state at that moment; the state is
 * empty when the log does not (or no longer) exist.
 */
public record LogSlice(List<LoggedEvent> events, Optional<LogState> state) {

    public LogSlice {
        events = List.copyOf(events);
        java.util.Objects.requireNonNull(state, "state");
    }

    /** The slice of a log that does not exist. */
    public static LogSlice missing() {
        return new LogSlice(List.of(), Optional.empty());
    }
}
