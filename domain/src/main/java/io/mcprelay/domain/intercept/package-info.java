/**
 * Interception rules: which messages a rule applies to ({@link io.mcprelay.domain.intercept.RuleMatch}),
 * what it does to them ({@link io.mcprelay.domain.intercept.RuleAction}), and what an interceptor
 * decides for one message ({@link io.mcprelay.domain.intercept.Decision}). Matching is pure; applying
 * an action to a JSON document is the application's job, through a port.
 */
package io.mcprelay.domain.intercept;
