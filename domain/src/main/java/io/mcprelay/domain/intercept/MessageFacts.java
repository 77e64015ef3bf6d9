package io.mcprelay.domain.intercept;

import io.mcprelay.domain.auth.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule can match a message on.
 *
 * @param direction which way the message travels
 * @param method    the JSON-RPC method: the message's own for a request or notification; for a
 *                  response (or an event carrying one) the method of the request it answers, when
 *                  the relay knows it
 * @param tool      the tool name of a {@code tools/call} request, or of the request a response answers
 * @param session   the relay's session id, empty before a session exists
 * @param upstream  the name of the upstream the message comes from or goes to, when chosen
 * @param principal who sent the request of this exchange, when clients authenticate (docs/auth.md)
 */
public record MessageFacts(Direction direction, Optional<String> method, Optional<String> tool, Optional<String> session,
                           Optional<String> upstream, Optional<Principal> principal) {

    public MessageFacts {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(principal, "principal");
    }

    /** Facts without a principal (clients do not authenticate). */
    public MessageFacts(Direction direction, Optional<String> method, Optional<String> tool, Optional<String> session,
                        Optional<String> upstream) {
        this(direction, method, tool, session, upstream, Optional.empty());
    }
}
