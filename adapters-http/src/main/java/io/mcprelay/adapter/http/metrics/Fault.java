package io.mcprelay.adapter.http.metrics;

import io.mcprelay.domain.access.RejectionReason;
import java.util.Locale;

/**
 * Whose fault a failed message was, so an error rate can tell a misbehaving client from a failing
 * upstream from the relay's own trouble: {@code none} (answered), {@code client} (a 4xx the client
 * caused, or an upstream's 4xx to the client's request), {@code upstream} (unreachable, timed out,
 * 5xx, saturated, none available) or {@code relay} (its store unavailable, at its session limit, or
 * it failed before answering).
 */
final class Fault {

    private Fault() {
    }

    /** @param outcome a bounded outcome label ({@link RpcMethodLabel#outcome}) */
    static String of(String outcome) {
        return switch (outcome) {
            case "ok" -> "none";
            case "unanswered" -> "relay";
            case "upstream_refused" -> "client";
            case "upstream_error" -> "upstream";
            case RpcMethodLabel.OTHER -> "relay";
            default -> ofReason(RejectionReason.valueOf(outcome.toUpperCase(Locale.ROOT)));
        };
    }

    private static String ofReason(RejectionReason reason) {
        return switch (reason) {
            case NO_UPSTREAM_AVAILABLE, UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_SATURATED, UPSTREAM_FAILED,
                 UPSTREAM_CREDENTIALS_UNAVAILABLE, UPSTREAM_CREDENTIALS_REFUSED -> "upstream";
            case STORE_UNAVAILABLE, SESSION_LIMIT_REACHED -> "relay";
            default -> "client";
        };
    }
}
