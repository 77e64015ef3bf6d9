package io.mcprelay.application.port.out;

/**
 * A store could not reach its backend (connection refused, timeout). An infrastructure failure,
 * not an answer: the use cases turn it into a 503 and never into "session not found".
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
