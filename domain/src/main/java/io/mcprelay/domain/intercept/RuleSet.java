package io.mcprelay.domain.intercept;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The configured rules, in the order they run. Names are unique. */
public record RuleSet(List<InterceptRule> rules) {

    /** The most rules a configuration may hold: {@value}. */
    public static final int MAX_RULES = 1000;

    /** No rules: every message passes unchanged. */
    public static final RuleSet EMPTY = new RuleSet(List.of());

    public RuleSet {
        rules = List.copyOf(rules);
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " rules, not " + rules.size());
        }
        Set<String> names = new HashSet<>();
        for (InterceptRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("rule names must be unique: " + rule.name());
            }
        }
    }

    /** The rules that apply to {@code facts}, in order. */
    public List<InterceptRule> matching(MessageFacts facts) {
        return rules.stream().filter(rule -> rule.appliesTo(facts)).toList();
    }
}
