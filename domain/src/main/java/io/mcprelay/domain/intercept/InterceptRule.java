package io.mcprelay.domain.intercept;

import java.util.Objects;
import java.util.regex.Pattern;

/** A named rule: the messages it matches and what it does to them. */
public record InterceptRule(String name, RuleMatch match, RuleAction action) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public InterceptRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(action, "action");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a rule name is 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit: " + name);
        }
    }

    /** {@code true} if this rule applies to the message described by {@code facts}. */
    public boolean appliesTo(MessageFacts facts) {
        return match.matches(facts);
    }
}
