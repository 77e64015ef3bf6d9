package io.mcprelay.adapter.http.out;

/**
 * The upstream closed the connection in the middle of a response head or of a body framed by
 * {@code Content-Length} or chunks. (A body framed by the connection's close ends there properly
 * and never throws this.)
 */
final class UpstreamClosedEarlyException extends UpstreamProtocolException {
    private static final long serialVersionUID = 1L;

    UpstreamClosedEarlyException() {
        super("the upstream closed the connection before its answer was complete");
    }
}
