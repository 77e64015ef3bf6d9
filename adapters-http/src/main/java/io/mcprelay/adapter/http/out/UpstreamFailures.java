package io.mcprelay.adapter.http.out;

import io.helidon.common.buffers.DataReader;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns the exceptions of a failed upstream exchange into an {@link HttpAnswer.Unreachable}
 * answer, and tells which failures leave a request unsent or unprocessed.
 *
 * <p>Whether the request was sent decides between the two answers of a broken connection:
 * {@link Cause#CONNECT} (no connection: nothing sent, the upstream is not there) and
 * {@link Cause#DROPPED} (sent, then reset or closed before an answer: the upstream was there and
 * may have processed it).
 */
final class UpstreamFailures {

    private static final System.Logger LOG = System.getLogger(UpstreamFailures.class.getName());

    private UpstreamFailures() {
    }

    /** The answer to a failure before the request was written, or where it is not known whether it was. */
    static HttpAnswer.Unreachable classify(String upstream, Exception failure) {
        return answer(upstream, causeOf(failure), failure);
    }

    /**
     * The answer to a connection that could not be made at all (refused, unknown host, no route, TLS
     * handshake, or the connect timed out): {@link Cause#CONNECT}, since nothing was sent, so a new
     * session's {@code initialize} may go to the next upstream. A connect timeout is no read timeout:
     * the upstream never took the request.
     */
    static HttpAnswer.Unreachable notConnected(String upstream, Exception failure) {
        return answer(upstream, Cause.CONNECT, failure);
    }

    /**
     * The answer to a failure after the request was written on a connection (or while it was): a
     * broken connection is then {@link Cause#DROPPED}, never {@link Cause#CONNECT}, since the
     * upstream was reached and may have processed the request.
     */
    static HttpAnswer.Unreachable classifySent(String upstream, Exception failure) {
        Cause cause = causeOf(failure);
        return answer(upstream, cause == Cause.CONNECT ? Cause.DROPPED : cause, failure);
    }

    /**
     * Whether {@code failure} is what a reused keep-alive connection that the upstream closed while
     * idle gives when a request is written into it: a reset or broken pipe, or the end of the stream,
     * with no byte of an answer read (the caller checks that) and no timeout. Such a request was not
     * processed: a server closes an idle connection only between requests, and one that closes it
     * reads nothing from it after deciding to. The request may then be sent once more on a fresh
     * connection, as every HTTP client does for a stale pooled connection.
     */
    static boolean isStaleConnectionFailure(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        Cause cause = causeOf(failure);
        return cause == Cause.CONNECT && !neverConnected(failure) || isClosedEarly(failure);
    }

    /** Whether {@code failure} is a connection that could not be made at all: nothing was sent on it. */
    static boolean neverConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SSLHandshakeException || isConnectTimeout(t)) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's {@code Socket.connect} timing out ("Connect timed out"): no connection was made. */
    private static boolean isConnectTimeout(Throwable t) {
        return t instanceof SocketTimeoutException && t.getMessage() != null && t.getMessage().startsWith("Connect timed out");
    }

    private static HttpAnswer.Unreachable answer(String upstream, Cause cause, Exception failure) {
        String detail = describe(failure);
        LOG.log(System.Logger.Level.WARNING, "upstream {0}: {1} ({2})", upstream, cause, detail);
        return new HttpAnswer.Unreachable(cause, detail);
    }

    /** The answer to an exchange that found no place in the upstream's pool, and so was not sent. */
    static HttpAnswer.Unreachable saturated(String upstream, UpstreamClientConfig config, boolean stream, boolean interrupted) {
        String detail = interrupted
                ? "interrupted while waiting for a place in the pool of upstream " + upstream
                : stream
                ? "upstream " + upstream + " is at its limit of " + config.maxStreams()
                        + " open GET streams (--upstream-max-streams; waited " + config.queueTimeout().toMillis() + " ms)"
                : "upstream " + upstream + " is at its limit of " + config.maxConcurrent()
                        + " concurrent requests (--upstream-max-concurrent; waited " + config.queueTimeout().toMillis() + " ms)";
        LOG.log(System.Logger.Level.WARNING, "upstream {0}: {1} ({2})", upstream, Cause.SATURATED, detail);
        return new HttpAnswer.Unreachable(Cause.SATURATED, detail);
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
