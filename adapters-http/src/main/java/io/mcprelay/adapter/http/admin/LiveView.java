package io.mcprelay.adapter.http.admin;

/**
 * The live number the admin console takes from whatever measures it (the metrics adapter, wired in
 * the composition root), so the admin pages do not depend on it: the streams open towards clients,
 * which the console's cards and "open streams" chart show. Everything else the console charts it
 * records itself ({@link ConsoleTraffic}).
 */
@FunctionalInterface
public interface LiveView {

    /** Measures nothing. */
    LiveView NONE = () -> 0;

    /** Streams open towards clients now. */
    int openStreams();
}
