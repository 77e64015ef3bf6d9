/**
 * Rate limits, as values and pure rules: the token bucket's arithmetic ({@link io.mcprelay.domain.limit.TokenBucket}),
 * the configured limits ({@link io.mcprelay.domain.limit.RateLimits}), which buckets a message draws from
 * ({@link io.mcprelay.domain.limit.Charge}) and who is counted ({@link io.mcprelay.domain.limit.Caller}).
 * Where the buckets live (this process, or Redis for every instance) is the application's outbound port.
 */
package io.mcprelay.domain.limit;
