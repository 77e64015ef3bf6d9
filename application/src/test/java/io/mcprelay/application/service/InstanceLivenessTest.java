package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance keeps one liveness mark, renewed every quarter of its lease whatever the number of
 * streams; followers watch the owners of their streams, and however many streams of one owner are
 * followed, a poll asks about that owner once, and wakes all of its followers when it is dead.
 */
class InstanceLivenessTest {

    private final InMemoryEventLog log = new InMemoryEventLog(MutableClock.startingNow());
    private final StreamSupervision supervision = new StreamSupervision();
    private final InstanceLiveness liveness = new InstanceLiveness(log, log, "me", Duration.ofMillis(400), supervision);

    @AfterEach
    void stop() {
        supervision.close();
    }

    @Test
    void beatsEveryQuarterOfTheLeaseOncePerInstance() throws Exception {
        assertThat(liveness.beatEvery()).isEqualTo(Duration.ofMillis(100));
        liveness.start();

        awaitUntil(() -> log.beats("me") >= 4);
        assertThat(log.beats("me")).as("the first at once, then every 100 ms, not a burst").isLessThan(100);
    }

    @Test
    void oneCheckPerOwnerPerPollHoweverManyStreamsOfItAreFollowed() {
        List<InstanceLiveness.Watch> watches = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            InstanceLiveness.Watch watch = liveness.watch(new StreamId("s-" + i));
            watch.owner(Optional.of(i % 2 == 0 ? "owner-a" : "owner-b"));
            watches.add(watch);
        }
        int before = log.aliveChecks();

        liveness.poll();

        assertThat(log.aliveChecks() - before).as("one per distinct owner").isEqualTo(2);
        assertThat(liveness.owners()).containsExactlyInAnyOrder("owner-a", "owner-b");
        assertThat(watches).noneMatch(InstanceLiveness.Watch::ownerGone);
        assertThat(log.wakes()).as("nobody woken while the owners live").isZero();
        watches.forEach(InstanceLiveness.Watch::close);
        assertThat(liveness.watching()).isZero();
    }

    @Test
    void theFollowersOfADeadOwnerAreMarkedAndWokenAgainEveryHalfSecondUntilTheyAct() {
        InstanceLiveness.Watch first = liveness.watch(new StreamId("s-1"));
        InstanceLiveness.Watch second = liveness.watch(new StreamId("s-2"));
        InstanceLiveness.Watch other = liveness.watch(new StreamId("s-3"));
        first.owner(Optional.of("dead"));
        second.owner(Optional.of("dead"));
        other.owner(Optional.of("alive"));
        log.kill("dead");

        long now = System.nanoTime();
        liveness.poll(now);
        assertThat(first.ownerGone()).isTrue();
        assertThat(second.ownerGone()).isTrue();
        assertThat(other.ownerGone()).isFalse();
        assertThat(log.wakes()).isEqualTo(2);
        liveness.poll(now + InstanceLiveness.POLL_MILLIS * 1_000_000L);
        assertThat(log.wakes()).as("not at every poll: they are queueing for a take-over").isEqualTo(2);
        liveness.poll(now + InstanceLiveness.REWAKE_MILLIS * 1_000_000L);
        assertThat(log.wakes()).as("woken again: a wake between two waits is not lost").isEqualTo(4);
        second.owner(Optional.of("another"));
        assertThat(second.ownerGone()).isFalse();
        second.owner(Optional.of("dead"));
        assertThat(second.ownerGone()).as("a watch that turns to an owner known dead knows it at once").isTrue();
        liveness.poll(now + 2 * InstanceLiveness.REWAKE_MILLIS * 1_000_000L);
        assertThat(log.wakes()).as("and is woken with the others").isEqualTo(6);
        assertThat(liveness.owners()).as("counted per watch: \"another\" has none left").containsExactlyInAnyOrder("dead", "alive");
        second.close();
        first.close();
        assertThat(liveness.owners()).as("an owner nobody watches any more is not asked about").containsExactly("alive");
        first.owner(Optional.of("dead"));

        log.revive("dead");
        liveness.poll();
        assertThat(first.ownerGone()).as("it was only paused").isFalse();
    }

    @Test
    void aNewOwnerResetsTheWatchAndThisInstanceIsNeverWatched() {
        InstanceLiveness.Watch watch = liveness.watch(new StreamId("s-1"));
        watch.owner(Optional.of("dead"));
        log.kill("dead");
        liveness.poll();
        assertThat(watch.ownerGone()).isTrue();

        watch.owner(Optional.of("successor"));
        assertThat(watch.ownerGone()).as("nothing known yet of the new owner").isFalse();
        assertThat(watch.watched()).isEqualTo("successor");
        watch.owner(Optional.of("me"));
        assertThat(watch.watched()).isNull();
        assertThat(liveness.watching()).as("an instance does not watch itself").isZero();
        watch.owner(Optional.empty());
        assertThat(liveness.watching()).isZero();
    }

    @Test
    void theLeaseLastReadIsHandedOutOnceItsOwnerIsFoundDeadAndThenForgotten() {
        InstanceLiveness.Watch watch = liveness.watch(new StreamId("s-1"));
        StreamLeasePort.Lease deads = new StreamLeasePort.Lease("dead", 3);
        watch.lease(Optional.of(deads));
        assertThat(watch.watched()).isEqualTo("dead");
        assertThat(watch.knowsDeadOwnersLease()).as("not while its owner lives").isFalse();
        assertThat(watch.takeDeadOwnersLease()).isEmpty();

        log.kill("dead");
        liveness.poll();

        assertThat(watch.knowsDeadOwnersLease()).isTrue();
        assertThat(watch.takeDeadOwnersLease()).contains(deads);
        assertThat(watch.knowsDeadOwnersLease()).as("one try per lease read").isFalse();
        assertThat(watch.takeDeadOwnersLease()).isEmpty();
        assertThat(watch.ownerGone()).as("the owner is still known dead").isTrue();

        watch.lease(Optional.of(new StreamLeasePort.Lease("dead", 4)));
        assertThat(watch.knowsDeadOwnersLease()).as("the same owner read again: no new try with a lease the follower could not move")
                .isFalse();
    }

    @Test
    void aNewOwnersLeaseReplacesTheOldOneAndThisInstancesOwnIsNeverKept() {
        InstanceLiveness.Watch watch = liveness.watch(new StreamId("s-1"));
        watch.lease(Optional.of(new StreamLeasePort.Lease("first", 1)));
        StreamLeasePort.Lease seconds = new StreamLeasePort.Lease("second", 2);
        watch.lease(Optional.of(seconds));
        log.kill("first");
        log.kill("second");
        liveness.poll();
        assertThat(watch.takeDeadOwnersLease()).contains(seconds);

        watch.lease(Optional.of(new StreamLeasePort.Lease("me", 3)));
        assertThat(watch.watched()).isNull();
        assertThat(watch.knowsDeadOwnersLease()).isFalse();
        watch.lease(Optional.of(new StreamLeasePort.Lease("third", 4)));
        watch.owner(Optional.of("fourth"));
        log.kill("fourth");
        liveness.poll();
        assertThat(watch.knowsDeadOwnersLease()).as("the lease read named another owner than the one watched now").isFalse();
        watch.lease(Optional.empty());
        assertThat(liveness.watching()).isZero();
    }

    @Test
    void pollsRunByThemselvesWhileSomethingIsWatched() throws Exception {
        InstanceLiveness.Watch watch = liveness.watch(new StreamId("s-1"));
        watch.owner(Optional.of("dead"));
        log.kill("dead");

        awaitUntil(watch::ownerGone);
        watch.close();
        int checks = log.aliveChecks();
        Thread.sleep(4 * InstanceLiveness.POLL_MILLIS);
        assertThat(log.aliveChecks() - checks).as("no poll once nothing is watched (one may have been under way)").isLessThanOrEqualTo(1);
    }

    @Test
    void aStoreThatCannotBeReachedNeitherStopsTheBeatsNorMarksAnOwnerDead() {
        Object down = java.lang.reflect.Proxy.newProxyInstance(EventLogPort.class.getClassLoader(),
                new Class<?>[] {EventLogPort.class, StreamLeasePort.class}, (proxy, method, args) -> {
                    throw new StoreUnavailableException("the store is down", null);
                });
        InstanceLiveness unreachable = new InstanceLiveness((StreamLeasePort) down, (EventLogPort) down, "me", Duration.ofSeconds(2), supervision);
        unreachable.beat();
        unreachable.beat();
        InstanceLiveness.Watch watch = unreachable.watch(new StreamId("s-1"));
        watch.owner(Optional.of("someone"));

        unreachable.poll();

        assertThat(watch.ownerGone()).isFalse();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
