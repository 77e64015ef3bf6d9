package io.mcprelay.adapter.http.admin;

import java.util.List;

/**
 * The live numbers the admin overview and chart show, supplied by whatever measures them (the
 * metrics adapter, wired in the composition root), so the admin pages do not depend on it.
 */
public interface LiveView {

    /** No measurements: what an admin without metrics shows. */
    LiveView NONE = new None();

    /** The last {@code n} complete seconds, oldest first. */
    List<Second> lastSeconds(int n);

    /** Streams open towards clients now. */
    int openStreams();

    /** One second of traffic: messages relayed, of which errors, and their mean latency. */
    record Second(long epochSecond, long count, long errors, double meanMillis) {
    }

    /** Measures nothing. */
    record None() implements LiveView {
        @Override
        public List<Second> lastSeconds(int n) {
            return List.of();
        }

        @Override
        public int openStreams() {
            return 0;
        }
    }
}
