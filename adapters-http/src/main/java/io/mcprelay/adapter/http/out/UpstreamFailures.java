package io.mcprelay.adapter.http.out;

import io.helidon.common.buffers.DataReader;
import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.application.port.out.UpstreamResponse.Unreachable.Cause;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Turns the exceptions of a failed upstream exchange into an {@link UpstreamResponse.Unreachable} answer. */
final class UpstreamFailures {

    private static final System.Logger LOG = System.getLogger(UpstreamFailures.class.getName());

    private UpstreamFailures() {
    }

    static UpstreamResponse.Unreachable classify(String upstream, Exception failure) {
        Cause cause = causeOf(failure);
        String detail = describe(failure);
        LOG.log(System.Logger.Level.WARNING, "upstream {0}: {1} ({2})", upstream, cause, detail);
        return new UpstreamResponse.Unreachable(cause, detail);
    }

    /** The answer to an exchange that found no place in the upstream's pool, and so was not sent. */
    static UpstreamResponse.Unreachable saturated(String upstream, UpstreamClientConfig config, boolean stream, boolean interrupted) {
        String detail = interrupted
                ? "interrupted while waiting for a place in the pool of upstream " + upstream
                : stream
                ? "upstream " + upstream + " is at its limit of " + config.maxStreams()
                        + " open GET streams (--upstream-max-streams; waited " + config.queueTimeout().toMillis() + " ms)"
                : "upstream " + upstream + " is at its limit of " + config.maxConcurrent()
                        + " concurrent requests (--upstream-max-concurrent; waited " + config.queueTimeout().toMillis() + " ms)";
        LOG.log(System.Logger.Level.WARNING, "upstream {0}: {1} ({2})", upstream, Cause.SATURATED, detail);
        return new UpstreamResponse.Unreachable(Cause.SATURATED, detail);
    }

    static Cause causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return Cause.TIMEOUT;
            }
            if (t instanceof UpstreamProtocolException) {
                return Cause.PROTOCOL;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return Cause.CONNECT;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return Cause.CONNECT;
            }
        }
        return Cause.PROTOCOL;
    }

    /** Whether {@code failure} is the upstream closing the connection where more data was expected. */
    static boolean isClosedEarly(Throwable failure) {
        Throwable root = rootOf(failure);
        return root instanceof DataReader.InsufficientDataAvailableException || root instanceof UpstreamClosedEarlyException;
    }

    static String describe(Throwable failure) {
        Throwable root = rootOf(failure);
        if (root instanceof DataReader.InsufficientDataAvailableException) {
            // Helidon's word for an end of stream in the middle of a head or a body: say it plainly
            return "the upstream closed the connection before its answer was complete";
        }
        if (root instanceof UpstreamProtocolException) {
            return root.getMessage(); // written to be read as it is
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
