package io.mcprelay.application.port.out;

import java.util.Objects;

/**
 * One interceptor as operators see it: a configured rule or a code interceptor, in the order they run.
 *
 * @param name     the rule's name, or the code interceptor's {@code name()}
 * @param kind     {@code "rule"} or {@code "code"}
 * @param action   a rule's action ({@code block}, {@code mock}, {@code hide-tools}, {@code redact},
 *                 {@code delay}); {@code "code"} for a code interceptor
 * @param matches  what a rule matches, as text (e.g. {@code direction=request method=tools/call tool=delete_*});
 *                 the directions a code interceptor sees
 * @param hits     messages the rule acted on since start-up; for a code interceptor, the messages it
 *                 did not let through unchanged
 * @param failures exceptions a code interceptor threw (always 0 for a rule)
 */
public record InterceptorStatus(String name, String kind, String action, String matches, long hits, long failures) {

    public InterceptorStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(matches, "matches");
    }
}
