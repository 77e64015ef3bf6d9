package io.mcprelay.adapter.http.out;

import java.io.IOException;

/**
 * The upstream's answer broke HTTP/1.1 (no status line, a head over its bounds, a bad
 * {@code Content-Length} or chunk): an {@link io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause#PROTOCOL}
 * failure, whose message is said to the client as it is. An {@link IOException} so that body streams
 * can throw it from {@code read}; {@link UpstreamFailures} tells it from the I/O failures that mean
 * the connection broke.
 */
class UpstreamProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    UpstreamProtocolException(String message) {
        super(message);
    }
}
