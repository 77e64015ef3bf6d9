package io.mcprelay.adapter.storage.redis;

import static io.mcprelay.adapter.storage.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.redis.SessionNearCache.Entry;
import io.mcprelay.adapter.storage.redis.SessionNearCache.Ticket;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near-cache's ordering rules, each with the interleaving that would break it played out step
 * by step: an invalidation or a disconnection while a call is in flight always wins.
 */
class SessionNearCacheTest {

    private static final String KEY = "{p:s}:id:s-1";
    private static final Session SESSION = aSession("s-1").build();

    private SessionNearCache cache;

    @BeforeEach
    void trackingCache() {
        cache = new SessionNearCache(100);
        cache.trackingOn(cache.epoch());
    }

    @Test
    void cachesAReadWhoseTicketStillHolds() {
        Ticket ticket = cache.ticket(KEY);
        cache.afterRead(ticket, Optional.of(SESSION), 42);

        assertThat(cache.get(KEY)).contains(new Entry(Optional.of(SESSION), 42));
    }

    @Test
    void oneCallerClaimsADueRenewalAndTheOthersSeeItAsDoneUntilTheIntervalHasPassed() {
        long interval = 5_000;
        cache.afterRead(cache.ticket(KEY), Optional.of(SESSION), 1_000);

        assertThat(cache.claimRenewal(KEY, 3_000, interval)).as("renewed 2 µs ago").isFalse();
        assertThat(cache.claimRenewal(KEY, 6_000, interval)).as("due: this caller renews").isTrue();
        assertThat(cache.claimRenewal(KEY, 6_001, interval)).as("a renewal is on its way").isFalse();
        assertThat(cache.get(KEY)).as("still served meanwhile").contains(new Entry(Optional.of(SESSION), 6_000));
        assertThat(cache.claimRenewal(KEY, 11_000, interval)).isTrue();
    }

    @Test
    void theFirstTouchOfAnUncachedSessionClaimsItsRenewalAndTheRestReadIt() {
        assertThat(cache.claimRenewal(KEY, 100, 5_000)).isTrue();
        assertThat(cache.get(KEY)).contains(new Entry(Optional.empty(), 100));
        assertThat(cache.claimRenewal(KEY, 200, 5_000)).isFalse();
    }

    @Test
    void aRenewalOvertakenByTheNextOneDoesNotSetTheRenewalTimeBack() {
        long interval = 1_000;
        assertThat(cache.claimRenewal(KEY, 0, interval)).isTrue();
        Ticket slow = cache.ticket(KEY);
        // The renewal claimed at 0 is still on its way (a loaded machine) when the next one falls due.
        assertThat(cache.claimRenewal(KEY, 1_500, interval)).isTrue();
        Ticket next = cache.ticket(KEY);
        cache.afterWrite(next, Optional.of(SESSION), 1_500);
        cache.afterWrite(slow, Optional.of(SESSION), 0);

        assertThat(cache.get(KEY)).map(Entry::renewedAt).contains(1_500L);
        assertThat(cache.claimRenewal(KEY, 1_600, interval)).as("renewed 100 ns ago, by the newer renewal").isFalse();
        assertThat(cache.claimRenewal(KEY, 2_500, interval)).as("one interval after the newer renewal").isTrue();
    }

    @Test
    void aReadThatOutlivesAClaimedRenewalDoesNotSetTheRenewalTimeBack() {
        long interval = 1_000;
        cache.afterWrite(cache.ticket(KEY), Optional.of(SESSION), 0);
        cache.invalidate(KEY);
        // A touch finds the session invalidated (renewed at 0) and reads it again; the read is slow.
        long seenRenewal = cache.get(KEY).orElseThrow().renewedAt();
        Ticket read = cache.ticket(KEY);
        assertThat(cache.claimRenewal(KEY, 1_200, interval)).as("due meanwhile").isTrue();
        cache.afterRead(read, Optional.of(SESSION), seenRenewal);

        assertThat(cache.get(KEY)).contains(new Entry(Optional.of(SESSION), 1_200));
        assertThat(cache.claimRenewal(KEY, 1_300, interval)).as("a renewal is on its way since 1,200").isFalse();
    }

    @Test
    void withoutAnIntervalEveryTouchRenews() {
        assertThat(cache.claimRenewal(KEY, 100, 0)).isTrue();
        assertThat(cache.claimRenewal(KEY, 100, 0)).isTrue();
    }

    @Test
    void aRenewalThatOverlappedAnotherWriteKeepsItsRenewalTimeButNotItsSession() {
        Ticket renewal = cache.ticket(KEY);
        cache.afterWrite(cache.ticket(KEY), Optional.of(SESSION));
        cache.afterWrite(renewal, Optional.of(SESSION), 77);

        assertThat(cache.get(KEY)).contains(new Entry(Optional.empty(), 77));
    }

    @Test
    void anInvalidationDuringAReadInFlightWins() {
        Ticket ticket = cache.ticket(KEY);
        // Redis answered the read, then pushed an invalidation, which was handled before the caller cached the answer.
        cache.invalidate(KEY);
        cache.afterRead(ticket, Optional.of(SESSION), SessionNearCache.NEVER);

        assertThat(cache.get(KEY)).isEmpty();
    }

    @Test
    void anInvalidationAfterCachingDropsTheSessionButKeepsTheRenewalTime() {
        cache.afterRead(cache.ticket(KEY), Optional.of(SESSION), 42);
        cache.invalidate(KEY);

        assertThat(cache.get(KEY)).contains(new Entry(Optional.empty(), 42));
    }

    @Test
    void anInvalidationOfANeverRenewedEntryDropsIt() {
        cache.afterRead(cache.ticket(KEY), Optional.of(SESSION), SessionNearCache.NEVER);
        cache.invalidate(KEY);

        assertThat(cache.get(KEY)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aDisconnectionDuringAReadInFlightWinsAndStopsCachingUntilTrackingIsBack() {
        Ticket inFlight = cache.ticket(KEY);
        long oldEpoch = cache.epoch();
        cache.invalidateAll();
        cache.afterRead(inFlight, Optional.of(SESSION), 1);
        assertThat(cache.get(KEY)).as("read sent on the old connection").isEmpty();

        Ticket beforeTracking = cache.ticket(KEY);
        cache.afterRead(beforeTracking, Optional.of(SESSION), 1);
        assertThat(beforeTracking.tracked()).isFalse();
        assertThat(cache.get(KEY)).as("tracking not yet on on the new connection").isEmpty();

        cache.trackingOn(oldEpoch);
        assertThat(cache.tracking()).as("a confirmation from the old connection counts for nothing").isFalse();
        cache.trackingOn(cache.epoch());
        cache.afterRead(cache.ticket(KEY), Optional.of(SESSION), 1);
        assertThat(cache.get(KEY)).map(Entry::session).contains(Optional.of(SESSION));
    }

    @Test
    void aReadSentBeforeTrackingWasConfirmedIsNotCachedEvenIfConfirmedMeanwhile() {
        SessionNearCache fresh = new SessionNearCache(10);
        Ticket early = fresh.ticket(KEY);
        fresh.trackingOn(fresh.epoch());
        fresh.afterRead(early, Optional.of(SESSION), 1);

        assertThat(fresh.get(KEY)).isEmpty();
    }

    @Test
    void ofTwoOverlappingOwnWritesNeitherLeavesAStaleAnswer() {
        Session bound = SESSION.boundTo(new UpstreamSessionId("up-2"));
        Ticket touch = cache.ticket(KEY);
        Ticket bind = cache.ticket(KEY);
        // Redis ran the bind, then the touch (whose answer is newer), but the touch's caller finishes first.
        cache.afterWrite(touch, Optional.of(bound), 5);
        cache.afterWrite(bind, Optional.of(SESSION.boundTo(new UpstreamSessionId("up-1"))));

        assertThat(cache.get(KEY)).as("the second write to finish overlapped the first: its session is dropped, the renewal time kept")
                .contains(new Entry(Optional.empty(), 5));
    }

    @Test
    void aReadOverlappingAnOwnWriteDoesNotOverwriteIt() {
        Session bound = SESSION.boundTo(new UpstreamSessionId("up-2"));
        Ticket read = cache.ticket(KEY);
        Ticket bind = cache.ticket(KEY);
        cache.afterWrite(bind, Optional.of(bound));
        cache.afterRead(read, Optional.of(SESSION), SessionNearCache.NEVER);

        assertThat(cache.get(KEY)).map(Entry::session).contains(Optional.of(bound));
    }

    @Test
    void aWriteThatRenewsNothingKeepsTheRenewalTime() {
        cache.afterWrite(cache.ticket(KEY), Optional.of(SESSION), 7);
        Session bound = SESSION.boundTo(new UpstreamSessionId("up-2"));
        cache.afterWrite(cache.ticket(KEY), Optional.of(bound));

        assertThat(cache.get(KEY)).contains(new Entry(Optional.of(bound), 7));
    }

    @Test
    void anAbsentAnswerDropsTheEntry() {
        cache.afterWrite(cache.ticket(KEY), Optional.of(SESSION), 7);
        cache.afterRead(cache.ticket(KEY), Optional.empty(), 7);
        assertThat(cache.get(KEY)).isEmpty();

        cache.afterWrite(cache.ticket(KEY), Optional.of(SESSION), 7);
        cache.afterWrite(cache.ticket(KEY), Optional.empty());
        assertThat(cache.get(KEY)).as("deleted").isEmpty();
    }

    @Test
    void holdsAtMostItsCapacityEvictingTheLeastRecentlyUsed() {
        SessionNearCache small = new SessionNearCache(2);
        small.trackingOn(small.epoch());
        small.afterRead(small.ticket("a"), Optional.of(SESSION), 1);
        small.afterRead(small.ticket("b"), Optional.of(SESSION), 1);
        small.get("a");
        small.afterRead(small.ticket("c"), Optional.of(SESSION), 1);

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.get("b")).as("least recently used").isEmpty();
        assertThat(small.get("a")).isPresent();
        assertThat(small.get("c")).isPresent();
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new SessionNearCache(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
