package io.mcprelay.application.service;

import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import java.util.Objects;

/**
 * Settings of the relay use cases.
 *
 * @param headerPolicy         which headers cross the proxy (defaults to {@link HeaderPolicy#defaults()}:
 *                             credentials are not forwarded)
 * @param maxInitializeEvents  how many events of an upstream's SSE answer to initialize are held while
 *                             waiting for the initialize result, before the session exists (defaults to 32)
 * @param share                what one session may hold of its upstream at once: requests in flight and
 *                             standalone GET streams (defaults to {@link SessionShare#defaults()})
 * @param quota                how many sessions one client may hold (defaults to {@link ClientQuota#defaults()})
 * @param localReplayLogs      sessions are shared by the instances, but each instance keeps its own replay
 *                             logs: a resume may reach an instance that does not hold the stream's log, and
 *                             its refusal says so (defaults to false)
 * @param bridgeLegacy         whether a 2026-07-28 request that no upstream serves in its era is carried in an upstream
 *                             session the relay holds (bridge (b), {@link LegacyBridge}) rather than refused with -32022
 *                             (defaults to {@code false})
 */
public record RelaySettings(HeaderPolicy headerPolicy, int maxInitializeEvents, SessionShare share, ClientQuota quota,
                            boolean localReplayLogs, boolean bridgeLegacy) {

    public RelaySettings {
        Objects.requireNonNull(headerPolicy, "headerPolicy");
        Objects.requireNonNull(share, "share");
        Objects.requireNonNull(quota, "quota");
        if (maxInitializeEvents < 1) {
            throw new IllegalArgumentException("maxInitializeEvents must be at least 1");
        }
    }

    /** Without the bridge to legacy-only upstreams. */
    public RelaySettings(HeaderPolicy headerPolicy, int maxInitializeEvents, SessionShare share, ClientQuota quota,
                         boolean localReplayLogs) {
        this(headerPolicy, maxInitializeEvents, share, quota, localReplayLogs, false);
    }

    /** With replay logs where the sessions are (both shared, or both this instance's), without the bridge. */
    public RelaySettings(HeaderPolicy headerPolicy, int maxInitializeEvents, SessionShare share, ClientQuota quota) {
        this(headerPolicy, maxInitializeEvents, share, quota, false);
    }

    /** These settings with the bridge to legacy-only upstreams on or off. */
    public RelaySettings withBridgeLegacy(boolean on) {
        return new RelaySettings(headerPolicy, maxInitializeEvents, share, quota, localReplayLogs, on);
    }

    /** With the default share per session and quota per client. */
    public RelaySettings(HeaderPolicy headerPolicy, int maxInitializeEvents) {
        this(headerPolicy, maxInitializeEvents, SessionShare.defaults(), ClientQuota.defaults());
    }

    public static RelaySettings defaults() {
        return new RelaySettings(HeaderPolicy.defaults(), 32);
    }
}
