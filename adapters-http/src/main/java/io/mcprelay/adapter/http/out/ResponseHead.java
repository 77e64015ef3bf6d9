package io.mcprelay.adapter.http.out;


/**
 * The final (non-1xx) status line and headers of an upstream's answer, and what they say about its
 * body and its connection.
 *
 * @param status        the status code
 * @param headers       the headers, by lower-case name, repeated ones joined with ", "
 * @param contentType   the {@code Content-Type}, or "" when there is none
 * @param framing       how the body's end is found
 * @param contentLength the declared {@code Content-Length} when the framing is {@link Framing#LENGTH}, else -1
 * @param keepAlive     whether the connection may serve another request once the body is read whole
 */
record ResponseHead(int status, HttpAnswer.Headers headers, String contentType, Framing framing,
                    long contentLength, boolean keepAlive) {

    /** How the end of a body is found (RFC 9112, section 6.3). */
    enum Framing {
        /** No body: 204, 304. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Neither: the body ends when the upstream closes the connection. */
        UNTIL_CLOSE
    }

    /** The declared length for {@link io.mcprelay.adapter.http.BoundedReads}, or -1 when none is known. */
    long declaredLength() {
        return framing == Framing.NONE ? 0 : contentLength;
    }
}
