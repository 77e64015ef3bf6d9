package io.mcprelay.domain.session;

/**
 * The fair share of one session in its upstream's capacity: at most {@link #maxRequests()} requests in
 * flight (a POST counts from when it is sent until its answer, or the event stream it answered with,
 * is done) and at most {@link #maxStreams()} standalone GET streams open at once. A session asking for
 * more is refused at once (429, "retry later") instead of queueing for the upstream's shared places,
 * which other sessions need: one busy client must not make every other client wait.
 *
 * <p>The counts are kept per relay instance: a session whose requests reach several instances behind a
 * load balancer may hold up to this share on each.
 */
public record SessionShare(int maxRequests, int maxStreams) {

    /** Requests in flight per session by default: a quarter of the default upstream budget of 64. */
    public static final int DEFAULT_MAX_REQUESTS = 16;
    /** Standalone GET streams open per session by default (a client needs one). */
    public static final int DEFAULT_MAX_STREAMS = 4;

    public SessionShare {
        if (maxRequests < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("a session's share is at least one request and one stream");
        }
    }

    public static SessionShare defaults() {
        return new SessionShare(DEFAULT_MAX_REQUESTS, DEFAULT_MAX_STREAMS);
    }
}
