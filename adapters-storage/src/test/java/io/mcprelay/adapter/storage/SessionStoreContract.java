package io.mcprelay.adapter.storage;

import static io.mcprelay.adapter.storage.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.fail;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link SessionStorePort} contract, clause by clause. Every store runs this suite by extending
 * it and saying how to build a store and how to let time pass.
 *
 * <p><b>Time.</b> Only the tests about expiry use a short TTL ({@link #ttl()}, on a store from
 * {@link #expiringStore}); every other test runs on a store whose sessions live {@link #LONG_TTL}, so
 * that a slow machine cannot expire what a test did not mean to expire. The expiry tests are built
 * so that load can only make more time pass, which at worst hides a bug on that run: what must still
 * be alive is checked soon after it was last renewed (0.4 TTL of margin or more), and what must
 * have expired is checked well after. A store whose {@link #elapse} sleeps (a real clock) may choose
 * a longer {@link #ttl()} for larger margins; stores on a test clock keep the short one.
 */
public abstract class SessionStoreContract {

    /** The TTL of the stores of tests that are not about expiry: nothing expires during a test. */
    protected static final Duration LONG_TTL = Duration.ofMinutes(5);
    protected static final int CAPACITY = 1_000;

    protected SessionStorePort store;

    /** The idle TTL of the expiry tests' stores: 1 s; a store on a real clock may need more (see the class comment). */
    protected Duration ttl() {
        return Duration.ofSeconds(1);
    }

    /** {@code fraction} of {@link #ttl()}. */
    protected final Duration ofTtl(double fraction) {
        return Duration.ofNanos(Math.round(ttl().toNanos() * fraction));
    }

    /** Well past the TTL: what was last renewed this long ago has surely expired. */
    protected final Duration pastTtl() {
        return ofTtl(1.5);
    }

    /** Replaces {@link #store} by a new store whose sessions expire after {@link #ttl()}, for a test about expiry. */
    protected final SessionStorePort expiringStore(int maxSessions) {
        store = newStore(new SessionPolicy(ttl()), maxSessions);
        return store;
    }

    /** A new, empty store with this policy and capacity, reading time from {@link #clock()}. */
    protected abstract SessionStorePort newStore(SessionPolicy policy, int maxSessions);

    /** Lets {@code duration} pass for the store: moves a test clock, or sleeps. */
    protected abstract void elapse(Duration duration);

    /** The store's notion of now, used to build sessions that are fresh for the store. */
    protected abstract ClockPort clock();

    @BeforeEach
    void createStore() {
        store = newStore(new SessionPolicy(LONG_TTL), CAPACITY);
    }

    // ---- create and find ----

    @Test
    void createStoresTheSessionThatFindReturnsUnchanged() {
        Session session = fresh("s-1").onUpstream("beta").boundTo("up-1").withClient("inspector", "0.9").build();

        assertThat(store.create(session)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.find(session.id())).contains(session);
    }

    @Test
    void createRefusesATakenIdAndKeepsTheFirstSession() {
        Session first = fresh("s-1").onUpstream("alpha").build();
        Session second = fresh("s-1").onUpstream("beta").build();

        assertThat(store.create(first)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(second)).isEqualTo(CreateOutcome.ID_TAKEN);
        assertThat(store.find(first.id())).contains(first);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void createIsAtomicUnderConcurrency() throws Exception {
        int racers = 16;
        int rounds = 25;
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier start = new CyclicBarrier(racers);
                List<Future<CreateOutcome>> outcomes = new ArrayList<>();
                for (int racer = 0; racer < racers; racer++) {
                    Session contender = fresh("race-" + round).onUpstream("upstream-" + racer).build();
                    outcomes.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return store.create(contender);
                    }));
                }
                List<String> winners = new ArrayList<>();
                for (int racer = 0; racer < racers; racer++) {
                    CreateOutcome outcome = outcomes.get(racer).get(10, TimeUnit.SECONDS);
                    assertThat(outcome).isIn(CreateOutcome.CREATED, CreateOutcome.ID_TAKEN);
                    if (outcome == CreateOutcome.CREATED) {
                        winners.add("upstream-" + racer);
                    }
                }
                assertThat(winners).as("winners of round %d", round).hasSize(1);
                assertThat(store.find(id("race-" + round))).map(Session::upstream).contains(winners.getFirst());
            }
        }
        assertThat(store.count()).isEqualTo(rounds);
    }

    @Test
    void createTreatsTheIdOfAnExpiredSessionAsFree() {
        expiringStore(CAPACITY);
        store.create(fresh("s-1").onUpstream("alpha").build());
        elapse(pastTtl());
        Session reborn = fresh("s-1").onUpstream("beta").build();

        assertThat(store.create(reborn)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.find(reborn.id())).contains(reborn);
    }

    @Test
    void findReturnsEmptyForAnUnknownId() {
        store.create(fresh("s-1").build());

        assertThat(store.find(id("s-2"))).isEmpty();
    }

    @Test
    void findDoesNotRenewTheTtl() {
        expiringStore(CAPACITY);
        Session session = fresh("s-1").build();
        store.create(session);
        elapse(ofTtl(0.4));

        assertThat(store.find(session.id())).contains(session);
        // 1.2 TTL since the create; had the find renewed it, 0.8 TTL since then (0.2 TTL of margin on a quiet machine).
        elapse(ofTtl(0.8));
        assertThat(store.find(session.id())).isEmpty();
    }

    // ---- touch and bindUpstream ----

    @Test
    void touchSetsLastSeenAtToNowAndKeepsOtherFields() {
        Session session = fresh("s-1").onUpstream("beta").boundTo("up-1").build();
        store.create(session);
        elapse(Duration.ofMillis(300));

        Instant before = clock().now();
        Optional<Session> touched = store.touch(session.id());
        Instant after = clock().now();

        assertThat(touched).hasValueSatisfying(renewed -> {
            assertThat(renewed.lastSeenAt()).isAfter(session.lastSeenAt()).isBetween(before, after);
            assertThat(renewed).isEqualTo(session.seenAt(renewed.lastSeenAt()));
        });
        assertThat(store.find(session.id())).isEqualTo(touched);
    }

    @Test
    void touchSlidesTheTtl() {
        expiringStore(CAPACITY);
        Session session = fresh("s-1").build();
        store.create(session);
        elapse(ofTtl(0.55));

        assertThat(store.touch(session.id())).isPresent();
        elapse(ofTtl(0.55));
        assertThat(store.find(session.id())).as("alive: TTL counted from the touch (1.1 TTL since the creation)").isPresent();
        // A store may keep a renewed session up to a tenth of the TTL longer (the Redis near-cache's renewal interval).
        elapse(ofTtl(0.7));
        assertThat(store.find(session.id())).as("expired: 1.25 TTL since the touch").isEmpty();
    }

    @Test
    void touchReturnsEmptyForAnUnknownIdAndCreatesNothing() {
        assertThat(store.touch(id("s-1"))).isEmpty();
        assertThat(store.find(id("s-1"))).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void bindUpstreamKeepsOtherFields() {
        Session session = fresh("s-1").onUpstream("beta").withClient("inspector", "0.9").build();
        store.create(session);
        elapse(Duration.ofMillis(300));
        Session expected = session.boundTo(new UpstreamSessionId("up-7"));

        assertThat(store.bindUpstream(session.id(), new UpstreamSessionId("up-7"))).contains(expected);
        assertThat(store.find(session.id())).contains(expected);
    }

    @Test
    void bindUpstreamReplacesAnEarlierBinding() {
        Session session = fresh("s-1").boundTo("up-1").build();
        store.create(session);

        store.bindUpstream(session.id(), new UpstreamSessionId("up-2"));

        assertThat(store.find(session.id())).flatMap(Session::upstreamSessionId).contains(new UpstreamSessionId("up-2"));
    }

    @Test
    void bindUpstreamReturnsEmptyForAnUnknownIdAndCreatesNothing() {
        assertThat(store.bindUpstream(id("s-1"), new UpstreamSessionId("up-1"))).isEmpty();
        assertThat(store.find(id("s-1"))).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void concurrentTouchesDoNotLoseTheUpstreamBinding() throws Exception {
        Session session = fresh("s-1").build();
        store.create(session);
        AtomicBoolean binding = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> touchers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                touchers.add(pool.submit(() -> {
                    while (binding.get()) {
                        store.touch(session.id());
                    }
                }));
            }
            for (int n = 0; n < 500; n++) {
                store.bindUpstream(session.id(), new UpstreamSessionId("up-" + n));
            }
            binding.set(false);
            for (Future<?> toucher : touchers) {
                toucher.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(store.find(session.id())).flatMap(Session::upstreamSessionId).contains(new UpstreamSessionId("up-499"));
    }

    // ---- delete ----

    @Test
    void deleteRemovesALiveSessionOnce() {
        Session session = fresh("s-1").build();
        Session other = fresh("s-2").build();
        store.create(session);
        store.create(other);

        assertThat(store.delete(session.id())).isTrue();
        assertThat(store.find(session.id())).isEmpty();
        assertThat(store.delete(session.id())).isFalse();
        assertThat(store.find(other.id())).contains(other);
    }

    @Test
    void deleteReturnsFalseForAnUnknownId() {
        assertThat(store.delete(id("s-1"))).isFalse();
    }

    // ---- expiry ----

    @Test
    void expiredSessionBehavesAsDeleted() {
        expiringStore(CAPACITY);
        // One expired session per method, so that no method meets a session another one already removed.
        for (String method : List.of("list", "find", "touch", "bind", "delete", "findAll", "deleteAll")) {
            store.create(fresh("expired-" + method).build());
        }
        elapse(pastTtl());
        Session young = fresh("young").build();
        store.create(young);

        // Every call first, within a TTL of the young session's creation; assertions after, as they can be slow to start.
        SessionPage page = store.list(SessionQuery.firstPage(50));
        long count = store.count();
        Optional<Session> found = store.find(id("expired-find"));
        Optional<Session> touched = store.touch(id("expired-touch"));
        Optional<Session> bound = store.bindUpstream(id("expired-bind"), new UpstreamSessionId("up-1"));
        boolean deleted = store.delete(id("expired-delete"));
        Map<ProxySessionId, Session> foundAll = store.findAll(List.of(id("expired-findAll"), young.id()));
        int deletedAll = store.deleteAll(List.of(id("expired-deleteAll")));
        Optional<Session> touchedLater = store.find(id("expired-touch"));
        Optional<Session> boundLater = store.find(id("expired-bind"));
        Optional<Session> youngLater = store.find(young.id());

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(page.sessions()).as("list").containsExactly(young);
            softly.assertThat(page.total()).as("list total").isEqualTo(1);
            softly.assertThat(count).as("count").isEqualTo(1);
            softly.assertThat(found).as("find").isEmpty();
            softly.assertThat(touched).as("touch").isEmpty();
            softly.assertThat(bound).as("bindUpstream").isEmpty();
            softly.assertThat(deleted).as("delete").isFalse();
            softly.assertThat(foundAll).as("findAll").containsOnlyKeys(young.id());
            softly.assertThat(deletedAll).as("deleteAll").isZero();
            softly.assertThat(touchedLater).as("not revived by touch").isEmpty();
            softly.assertThat(boundLater).as("not revived by bindUpstream").isEmpty();
            softly.assertThat(youngLater).as("the live session").contains(young);
        });
    }

    @Test
    void purgeExpiredDropsOnlyExpiredSessions() {
        expiringStore(CAPACITY);
        store.create(fresh("old-1").build());
        store.create(fresh("old-2").build());
        elapse(pastTtl());
        Session young = fresh("young").build();
        store.create(young);

        assertThat(store.purgeExpired()).as("a store whose backend expires keys may report 0").isBetween(0, 2);
        assertThat(store.find(young.id())).contains(young);
        assertThat(store.count()).isEqualTo(1);
    }

    // ---- list ----

    @Test
    void listPagesThroughAllSessionsInCreationOrder() {
        Instant now = clock().now();
        // Ids run against creation order, and creates come shuffled: only createdAt may decide the order.
        for (int age : List.of(3, 6, 0, 4, 1, 5, 2)) {
            store.create(fresh("s-" + (char) ('a' + age)).createdAt(now.minusSeconds(10 + age)).build());
        }

        List<SessionPage> pages = pagesOf(SessionQuery.firstPage(3));

        assertThat(pages).extracting(page -> page.sessions().size()).containsExactly(3, 3, 1);
        assertThat(pages).extracting(SessionPage::total).containsOnly(7L);
        assertThat(pages.getLast().nextCursor()).isEmpty();
        assertThat(idsIn(pages)).containsExactly("s-g", "s-f", "s-e", "s-d", "s-c", "s-b", "s-a");
    }

    @Test
    void listBreaksCreationTimeTiesById() {
        Instant createdAt = clock().now().minusSeconds(5);
        for (String id : List.of("s-b", "s-c", "s-a")) {
            store.create(fresh(id).createdAt(createdAt).build());
        }

        assertThat(idsIn(pagesOf(SessionQuery.firstPage(10)))).containsExactly("s-a", "s-b", "s-c");
        assertThat(idsIn(pagesOf(SessionQuery.firstPage(1)))).as("one per page").containsExactly("s-a", "s-b", "s-c");
    }

    @Test
    void listFiltersByIdPrefixAndUpstream() {
        store.create(fresh("team-a-1").onUpstream("alpha").build());
        store.create(fresh("team-a-2").onUpstream("beta").build());
        store.create(fresh("team-b-1").onUpstream("alpha").build());
        store.create(fresh("other").onUpstream("alpha").build());

        assertThat(idsIn(pagesOf(query("team-a-", null)))).containsExactlyInAnyOrder("team-a-1", "team-a-2");
        assertThat(idsIn(pagesOf(query(null, "alpha")))).containsExactlyInAnyOrder("team-a-1", "team-b-1", "other");
        assertThat(idsIn(pagesOf(query("team-a-", "alpha")))).containsExactly("team-a-1");
        SessionPage none = store.list(query("nobody", null));
        assertThat(none.sessions()).isEmpty();
        assertThat(none.total()).isZero();
        assertThat(none.nextCursor()).isEmpty();
    }

    @Test
    void listReportsTotalMatching() {
        for (int i = 0; i < 5; i++) {
            store.create(fresh("alpha-" + i).onUpstream("alpha").build());
        }
        for (int i = 0; i < 3; i++) {
            store.create(fresh("beta-" + i).onUpstream("beta").build());
        }
        SessionQuery alphaByTwo = new SessionQuery(Optional.empty(), Optional.of("alpha"), Optional.empty(), 2);

        List<SessionPage> pages = pagesOf(alphaByTwo);

        assertThat(pages).extracting(SessionPage::total).containsExactly(5L, 5L, 5L);
        assertThat(idsIn(pages)).containsExactlyInAnyOrder("alpha-0", "alpha-1", "alpha-2", "alpha-3", "alpha-4");
        assertThat(store.list(SessionQuery.firstPage(2)).total()).isEqualTo(8);
    }

    @Test
    void listOfAnEmptyStoreIsAnEmptyLastPage() {
        SessionPage page = store.list(SessionQuery.firstPage(10));

        assertThat(page.sessions()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.total()).isZero();
    }

    @Test
    void listHoldsAtMostTheLimitEvenAtTheMaximum() {
        for (int i = 0; i < SessionQuery.MAX_LIMIT + 20; i++) {
            store.create(fresh("s-%04d".formatted(i)).build());
        }

        List<SessionPage> pages = pagesOf(SessionQuery.firstPage(SessionQuery.MAX_LIMIT));

        assertThat(pages).extracting(page -> page.sessions().size()).containsExactly(SessionQuery.MAX_LIMIT, 20);
    }

    @Test
    void listCursorStaysValidWhenSessionsAreDeletedBetweenPages() {
        Instant now = clock().now();
        for (int i = 1; i <= 6; i++) {
            store.create(fresh("s-" + i).createdAt(now.minusSeconds(10 - i)).build());
        }
        SessionPage first = store.list(SessionQuery.firstPage(2));
        store.delete(id("s-2"));
        store.delete(id("s-3"));

        SessionPage second = store.list(SessionQuery.firstPage(2).after(first.nextCursor().orElseThrow()));

        assertThat(first.sessions()).extracting(s -> s.id().value()).containsExactly("s-1", "s-2");
        assertThat(second.sessions()).extracting(s -> s.id().value()).containsExactly("s-4", "s-5");
        assertThat(second.total()).isEqualTo(4);
    }

    @Test
    void listRejectsACursorItDidNotIssue() {
        store.create(fresh("s-1").build());

        for (String bogus : List.of("not a cursor!", "", "%%%", "AAAA", "djF8eHx5fHo")) {
            assertThatThrownBy(() -> store.list(SessionQuery.firstPage(10).after(bogus)))
                    .as("cursor '%s'", bogus)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cursor");
        }
    }

    // ---- batches and count ----

    @Test
    void findAllReturnsOnlyTheLiveSessionsAmongTheIds() {
        Session a = fresh("a").build();
        Session c = fresh("c").build();
        store.create(a);
        store.create(fresh("b").build());
        store.create(c);

        assertThat(store.findAll(List.of(a.id(), c.id(), id("unknown")))).containsOnly(entry(a.id(), a), entry(c.id(), c));
        assertThat(store.findAll(List.of())).isEmpty();
    }

    @Test
    void deleteAllRemovesOnlyNamedSessions() {
        for (String id : List.of("a", "b", "c", "d")) {
            store.create(fresh(id).build());
        }

        assertThat(store.deleteAll(List.of(id("a"), id("c"), id("unknown")))).isEqualTo(2);
        assertThat(store.findAll(List.of(id("a"), id("b"), id("c"), id("d")))).containsOnlyKeys(id("b"), id("d"));
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void countCountsLiveSessions() {
        assertThat(store.count()).isZero();
        for (String id : List.of("a", "b", "c")) {
            store.create(fresh(id).build());
        }
        assertThat(store.count()).isEqualTo(3);
        store.delete(id("b"));
        assertThat(store.count()).isEqualTo(2);
    }

    // ---- capacity ----

    @Test
    void capacityIsBoundedAndExpiredSessionsFreeSlots() {
        expiringStore(3);
        assertThat(store.create(fresh("a").build())).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("b").build())).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("c").build())).isEqualTo(CreateOutcome.CREATED);

        assertThat(store.create(fresh("d").build())).as("full").isEqualTo(CreateOutcome.CAPACITY_REACHED);
        assertThat(store.find(id("d"))).as("a refused session is not stored").isEmpty();
        store.delete(id("c"));
        assertThat(store.create(fresh("d").build())).as("a deleted session frees its slot").isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("e").build())).as("full again").isEqualTo(CreateOutcome.CAPACITY_REACHED);

        // a, b and d expire; the sessions created after are checked within a TTL of their creation.
        elapse(pastTtl());
        assertThat(store.create(fresh("e").build())).as("expired a frees a slot").isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("f").build())).as("expired b frees a slot").isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("g").build())).as("expired d frees a slot").isEqualTo(CreateOutcome.CREATED);
        assertThat(store.create(fresh("h").build())).as("e, f, g are live").isEqualTo(CreateOutcome.CAPACITY_REACHED);
        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void capacityHoldsUnderConcurrentCreates() throws Exception {
        store = newStore(new SessionPolicy(LONG_TTL), 10);
        int racers = 40;
        CyclicBarrier start = new CyclicBarrier(racers);
        List<Future<CreateOutcome>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int racer = 0; racer < racers; racer++) {
                Session contender = fresh("s-" + racer).build();
                outcomes.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.create(contender);
                }));
            }
        }
        List<CreateOutcome> results = new ArrayList<>();
        for (Future<CreateOutcome> outcome : outcomes) {
            results.add(outcome.get());
        }

        assertThat(results).filteredOn(CreateOutcome.CREATED::equals).hasSize(10);
        assertThat(results).filteredOn(CreateOutcome.CAPACITY_REACHED::equals).hasSize(racers - 10);
        assertThat(store.count()).isEqualTo(10);
    }

    // ---- owners (the per-client quota) ----

    @Test
    void eachOwnersLiveSessionsAreCountedAndFollowDeletes() {
        ClientKey hog = ClientKey.ofAddress("10.0.0.1");
        ClientKey other = ClientKey.ofAddress("10.0.0.2");
        for (int i = 0; i < 3; i++) {
            assertThat(store.create(fresh("hog-" + i).build().ownedBy(hog))).isEqualTo(CreateOutcome.CREATED);
        }
        store.create(fresh("other-1").build().ownedBy(other));

        assertThat(store.sessionsOf(hog, 10)).extracting(s -> s.id().value()).containsExactlyInAnyOrder("hog-0", "hog-1", "hog-2");
        assertThat(store.sessionsOf(hog, 10)).allSatisfy(s -> assertThat(s.owner()).isEqualTo(hog));
        assertThat(store.sessionsOf(hog, 2)).hasSize(2);
        assertThat(store.busiestOwner()).contains(new SessionStorePort.OwnerCount(hog, 3));

        store.delete(new ProxySessionId("hog-0"));
        store.deleteAll(java.util.List.of(new ProxySessionId("hog-1")));

        assertThat(store.sessionsOf(hog, 10)).extracting(s -> s.id().value()).containsExactly("hog-2");
        assertThat(store.find(new ProxySessionId("hog-2")).orElseThrow().owner()).isEqualTo(hog);
        assertThat(store.sessionsOf(ClientKey.ofAddress("10.0.0.9"), 10)).isEmpty();
        store.delete(new ProxySessionId("hog-2"));
        assertThat(store.busiestOwner()).contains(new SessionStorePort.OwnerCount(other, 1));
        store.delete(new ProxySessionId("other-1"));
        assertThat(store.busiestOwner()).isEmpty();
    }

    @Test
    void expiredSessionsLeaveTheirOwnersCount() {
        expiringStore(CAPACITY);
        ClientKey hog = ClientKey.ofAddress("10.0.0.1");
        ClientKey other = ClientKey.ofAddress("10.0.0.2");
        store.create(fresh("hog-1").build().ownedBy(hog));
        store.create(fresh("hog-2").build().ownedBy(hog));
        elapse(pastTtl());
        store.create(fresh("other-1").build().ownedBy(other));

        assertThat(store.sessionsOf(hog, 10)).isEmpty();
        assertThat(store.busiestOwner()).contains(new SessionStorePort.OwnerCount(other, 1));
    }

    // ---- helpers ----

    /** A session created and last seen at the store's now. */
    protected SessionTestData.Builder fresh(String id) {
        return aSession(id).lastSeenAt(clock().now());
    }

    protected static ProxySessionId id(String value) {
        return new ProxySessionId(value);
    }

    /** Every page of {@code first} and its successors, following the cursors to the end. */
    protected List<SessionPage> pagesOf(SessionQuery first) {
        List<SessionPage> pages = new ArrayList<>();
        SessionQuery query = first;
        while (pages.size() < 1_000) {
            SessionPage page = store.list(query);
            pages.add(page);
            if (page.nextCursor().isEmpty()) {
                return pages;
            }
            query = query.after(page.nextCursor().get());
        }
        return fail("the cursors never reached a last page");
    }

    protected static List<String> idsIn(List<SessionPage> pages) {
        return pages.stream().flatMap(page -> page.sessions().stream()).map(s -> s.id().value()).toList();
    }

    private static SessionQuery query(String idPrefix, String upstream) {
        return new SessionQuery(Optional.ofNullable(idPrefix), Optional.ofNullable(upstream), Optional.empty(), 10);
    }
}
