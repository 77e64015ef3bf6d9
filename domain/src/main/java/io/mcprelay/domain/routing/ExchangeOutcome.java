package io.mcprelay.domain.routing;

/**
 * How one exchange with an upstream ended, as far as passive health is concerned: the rule that
 * decides which outcomes feed the {@link CircuitBreaker} as failures. Connect errors, timeouts and
 * 5xx count; 4xx do not (the upstream answered, the client asked for something wrong).
 */
public enum ExchangeOutcome {
    /** The upstream answered with a status below 400. */
    SUCCESS(false),
    /** No connection could be made (refused, reset during connect, DNS, TLS handshake). */
    CONNECT_FAILURE(true),
    /** A connect, first-byte or idle timeout expired. */
    TIMEOUT(true),
    /** The upstream answered 5xx. */
    SERVER_ERROR(true),
    /** The upstream answered 4xx: a judgement on the request, not on the upstream. */
    CLIENT_ERROR(false);

    private final boolean failure;

    ExchangeOutcome(boolean failure) {
        this.failure = failure;
    }

    /** Whether this outcome counts against the upstream: connect failures, timeouts and 5xx. */
    public boolean countsAsFailure() {
        return failure;
    }

    /**
     * The outcome of a final HTTP response with {@code status}: 5xx is {@link #SERVER_ERROR}, 4xx
     * {@link #CLIENT_ERROR}, 100..399 {@link #SUCCESS}. A number outside 100..599 is no HTTP status:
     * the upstream broke the protocol, which counts against it as a {@link #SERVER_ERROR}. It is an
     * outcome, never an exception: the breaker's bookkeeping must be finished whatever an upstream
     * answered (an exception here once left a half-open trial in flight forever).
     */
    public static ExchangeOutcome ofStatus(int status) {
        if (status < 100 || status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : SUCCESS;
    }
}
