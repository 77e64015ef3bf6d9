package io.mcprelay.adapter.http.in;

/**
 * A request the relay refuses before Helidon parses it: broken framing (400), a head too large (414,
 * 431), an unsupported transfer coding (501) or HTTP version (505), or a head or body that took too
 * long to arrive (408). The connection is answered once with {@link #status()} and closed.
 */
final class FramingViolation extends RuntimeException {

    private final int status;

    FramingViolation(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
