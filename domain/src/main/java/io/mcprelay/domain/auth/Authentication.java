package io.mcprelay.domain.auth;

import java.util.Objects;

/** The outcome of checking a request's credentials: who it is, or why it is refused. */
public sealed interface Authentication {

    /** The request is let in as {@code principal}. */
    record Authenticated(Principal principal) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /** The request is refused, and why. */
    record Refused(AuthRefusal refusal) implements Authentication {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    /** A refusal of an invalid token, for {@code detail}. */
    static Authentication invalid(String detail) {
        return new Refused(new AuthRefusal(AuthRefusal.Kind.INVALID_TOKEN, detail));
    }
}
