package io.mcprelay.domain.session;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How many sessions one client ({@link ClientKey}) may hold, and whom to evict when a new session does
 * not fit. A client at its quota that opens another session loses its own least recently used
 * session, never another client's. When the whole store is full, the client holding the most sessions
 * gives up its least recently used one, unless that would take a lone session from a client for a
 * newcomer as big: then the newcomer is refused (never a small client for a big one).
 *
 * @param maxSessionsPerClient the most sessions one client holds at once, at least 1
 */
public record ClientQuota(int maxSessionsPerClient) {

    /**
     * The default quota: 10,000 sessions per client, a tenth of the default store capacity. Not less,
     * because clients behind one proxy or NAT share an address; a full store still takes from the
     * busiest client first.
     */
    public static final int DEFAULT_MAX_SESSIONS_PER_CLIENT = 10_000;

    private static final Comparator<Session> LEAST_RECENTLY_SEEN =
            Comparator.comparing(Session::lastSeenAt).thenComparing(Session::createdAt).thenComparing(s -> s.id().value());

    public ClientQuota {
        if (maxSessionsPerClient < 1) {
            throw new IllegalArgumentException("a client may hold at least 1 session, not " + maxSessionsPerClient);
        }
    }

    public static ClientQuota defaults() {
        return new ClientQuota(DEFAULT_MAX_SESSIONS_PER_CLIENT);
    }

    /**
     * The sessions to evict so that a client holding {@code held} (its live sessions) may open one more:
     * its least recently used ones beyond {@code maxSessionsPerClient - 1}; empty while it is below its quota.
     */
    public List<Session> overQuota(List<Session> held) {
        Objects.requireNonNull(held, "held");
        int excess = held.size() - (maxSessionsPerClient - 1);
        return excess <= 0 ? List.of() : held.stream().sorted(LEAST_RECENTLY_SEEN).limit(excess).toList();
    }

    /** The least recently used of {@code held}, empty if there are none. */
    public static Optional<Session> leastRecentlyUsed(List<Session> held) {
        return held.stream().min(LEAST_RECENTLY_SEEN);
    }

    /**
     * Whether a full store makes room for {@code newcomer} (holding {@code newcomerHeld} sessions) by
     * evicting one session of {@code busiest} (holding {@code busiestHeld}, the most of any client): yes if
     * the busiest is the newcomer itself (it replaces its own), or holds more than one session beyond
     * what the newcomer will hold.
     */
    public static boolean evictsBusiest(ClientKey newcomer, long newcomerHeld, ClientKey busiest, long busiestHeld) {
        Objects.requireNonNull(newcomer, "newcomer");
        Objects.requireNonNull(busiest, "busiest");
        return busiestHeld > 0 && (busiest.equals(newcomer) || busiestHeld > newcomerHeld + 1);
    }
}
