package io.mcprelay.application.port.in;

import io.mcprelay.domain.intercept.RuleSet;

/**
 * Replaces the configured interception rules, as a configuration reload does. Messages already
 * being intercepted finish under the rules they started with; every later message sees the new
 * ones. Open sessions and streams are untouched.
 */
public interface ReplaceRulesUseCase {

    /** Makes {@code rules} the rules every following message is matched against. */
    void replaceRules(RuleSet rules);
}
