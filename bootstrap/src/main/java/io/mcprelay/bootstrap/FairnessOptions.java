package io.mcprelay.bootstrap;

import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import java.util.Objects;

/**
 * How no client crowds out the others (docs/configuration.md, "Fairness").
 *
 * @param maxStreamsPerUpstream GET event streams open to one upstream at once, a budget apart from
 *                              {@code --upstream-max-concurrent} (default 256)
 * @param share                 requests in flight and GET streams one session may hold (default 16 and 4)
 * @param quota                 sessions one client (address) may hold (default 10,000)
 * @param limits                the rate limits per principal, per tool and global, and where their buckets
 *                              live (docs/limits.md; off by default)
 */
record FairnessOptions(int maxStreamsPerUpstream, SessionShare share, ClientQuota quota, LimitOptions limits) {

    static final int DEFAULT_MAX_STREAMS_PER_UPSTREAM = 256;

    FairnessOptions {
        Objects.requireNonNull(share, "share");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(limits, "limits");
        if (maxStreamsPerUpstream < 1) {
            throw new IllegalArgumentException("--upstream-max-streams: must be at least 1");
        }
    }

    /** Without rate limits. */
    FairnessOptions(int maxStreamsPerUpstream, SessionShare share, ClientQuota quota) {
        this(maxStreamsPerUpstream, share, quota, LimitOptions.OFF);
    }

    static FairnessOptions defaults() {
        return new FairnessOptions(DEFAULT_MAX_STREAMS_PER_UPSTREAM, SessionShare.defaults(), ClientQuota.defaults());
    }

    /** These rate limits instead of the current ones. */
    FairnessOptions withLimits(LimitOptions value) {
        return new FairnessOptions(maxStreamsPerUpstream, share, quota, value);
    }
}
