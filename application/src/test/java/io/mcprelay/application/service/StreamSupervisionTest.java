package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamSupervision} and {@link StreamSupervisor} against a fake stream: the timers fire as
 * the settings say, one step at a time per stream, never after close, and thousands of streams
 * share the one timer thread. Bounds are generous (the machine may be busy); the assertions are on
 * order and on lower bounds, which a busy machine cannot break.
 */
class StreamSupervisionTest {

    private static final Duration LONG = Duration.ofHours(1);
    /** Slack for millisecond rounding between a computed wait and the timer. */
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final StreamSupervision supervision = new StreamSupervision(Duration.ofMillis(300));

    @AfterEach
    void closeSupervision() {
        supervision.close();
    }

    // ---- the waits one step computes (no timer involved)

    @Test
    void anAttachedStreamWaitsForTheHeartbeatOrTheRenewalWhicheverComesFirst() {
        FakeStream stream = new FakeStream();
        StreamSupervisor heartbeatFirst = new StreamSupervisor(supervision, stream, settings(Duration.ofSeconds(2), LONG, Duration.ofSeconds(30)), "s");
        assertThat(heartbeatFirst.step()).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(2)));

        StreamSupervisor renewalFirst = new StreamSupervisor(supervision, stream, settings(LONG, LONG, Duration.ofSeconds(30)), "s");
        assertThat(renewalFirst.step()).contains(Duration.ofSeconds(10));
        assertThat(stream.ticks).hasValue(2);
        assertThat(stream.repolledAfter).containsOnly(StreamSupervisor.REPOLL_AFTER);
        assertThat(stream.heartbeats).hasValue(0);
    }

    @Test
    void anIdleAttachedStreamGetsAHeartbeatBeforeTheWaitIsComputed() {
        FakeStream stream = new FakeStream();
        stream.lastWrite = System.nanoTime() - Duration.ofSeconds(3).toNanos();
        StreamSupervisor supervisor = new StreamSupervisor(supervision, stream, settings(Duration.ofSeconds(2), LONG, Duration.ofSeconds(30)), "s");

        Optional<Duration> wait = supervisor.step();

        assertThat(stream.heartbeats).as("one heartbeat, then a full interval to wait").hasValue(1);
        assertThat(wait).hasValueSatisfying(w -> assertThat(w).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(2)));
        assertThat(stream.ticks).as("the step looks again after the heartbeat, as the thread did").hasValue(2);
    }

    @Test
    void anUnattendedStreamWaitsForTheRestOfTheGraceAndAFollowedOneForTheHeartbeat() {
        FakeStream stream = new FakeStream();
        stream.attached = false;
        StreamSupervisor supervisor = new StreamSupervisor(supervision, stream, settings(Duration.ofSeconds(4), Duration.ofSeconds(5), LONG), "s");
        assertThat(supervisor.step()).hasValueSatisfying(w -> assertThat(w).isBetween(Duration.ofMillis(4_500), Duration.ofSeconds(5)));

        stream.followed = true;
        assertThat(supervisor.step()).contains(Duration.ofSeconds(4));
        assertThat(stream.releases).hasValue(0);
    }

    @Test
    void aReattachedStreamIsCheckedWhenItWouldTurnStaleButNotMoreOftenThanEveryHalfSecond() {
        FakeStream stream = new FakeStream();
        stream.reattached = true;
        StreamSupervisor supervisor = new StreamSupervisor(supervision, stream, settings(LONG, LONG, LONG), "s");

        stream.untilStale = Duration.ofMillis(1_200);
        assertThat(supervisor.step()).as("its upstream spoke 0.8 s ago").contains(Duration.ofMillis(1_200));
        stream.untilStale = Duration.ofMillis(100);
        assertThat(supervisor.step()).contains(Duration.ofMillis(500));
        stream.untilStale = Duration.ofMillis(-3_000);
        assertThat(supervisor.step()).as("stale, but nothing to poll for").contains(Duration.ofMillis(500));
        stream.reattached = false;
        assertThat(supervisor.step()).as("not re-attached: the renewal interval").contains(Duration.ofSeconds(10));
    }

    // ---- the timer

    @Test
    void anIdleClientGetsAHeartbeatEveryIntervalAndNotBefore() throws Exception {
        FakeStream stream = new FakeStream();
        Duration interval = Duration.ofMillis(100);
        long opened = System.nanoTime();
        stream.lastWrite = opened;

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(interval, LONG, Duration.ofSeconds(30)), "hb")) {
            awaitUntil(() -> stream.heartbeatNanos.size() >= 3);
        }

        List<Long> at = new ArrayList<>(stream.heartbeatNanos);
        assertThat(at.getFirst() - opened).as("the first heartbeat comes after an idle interval").isGreaterThanOrEqualTo(interval.toNanos());
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("heartbeat %d follows the one before after an idle interval", i)
                    .isGreaterThanOrEqualTo(interval.toNanos() - SLACK_NANOS);
        }
    }

    @Test
    void aClientThatIsWrittenToAllTheTimeGetsNoHeartbeat() throws Exception {
        FakeStream stream = new FakeStream();
        stream.alwaysJustWritten = true;

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(Duration.ofMillis(20), LONG, Duration.ofMillis(300)), "busy")) {
            awaitUntil(() -> stream.ticks.get() >= 3);
        }

        assertThat(stream.heartbeats).hasValue(0);
    }

    @Test
    void theLeaseIsRenewedEveryThirdOfTheLease() throws Exception {
        FakeStream stream = new FakeStream();
        stream.alwaysJustWritten = true;
        StreamSettings settings = settings(LONG, LONG, Duration.ofMillis(300));

        try (StreamSupervisor ignored = supervision.supervise(stream, settings, "lease")) {
            awaitUntil(() -> stream.tickNanos.size() >= 5);
        }

        List<Long> at = new ArrayList<>(stream.tickNanos);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("renewal %d comes a third of the lease after the one before", i)
                    .isGreaterThanOrEqualTo(settings.renewEvery().toNanos() - SLACK_NANOS);
        }
        assertThat(stream.releases).hasValue(0);
    }

    @Test
    void anUnattendedStreamIsReleasedOnceTheGraceHasPassedAndNotBefore() throws Exception {
        FakeStream stream = new FakeStream();
        stream.attached = false;
        stream.followed = true;
        Duration grace = Duration.ofMillis(300);

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(Duration.ofMillis(20), grace, Duration.ofSeconds(30)), "grace")) {
            awaitUntil(() -> stream.ticks.get() >= 5);
            Thread.sleep(grace.multipliedBy(2).toMillis());
            assertThat(stream.releases).as("a followed stream keeps its upstream past the grace").hasValue(0);

            long unattendedAt = System.nanoTime();
            stream.followed = false;
            awaitUntil(() -> stream.releases.get() == 1);

            assertThat(stream.releasedAt - unattendedAt).as("released only after the grace").isGreaterThanOrEqualTo(grace.toNanos());
            int ticks = stream.ticks.get();
            Thread.sleep(200);
            assertThat(stream.ticks).as("no step after the release").hasValue(ticks);
            assertThat(supervision.pending()).isZero();
        }
    }

    @Test
    void aStreamThatOwesNothingIsReleasedAsSoonAsNobodyAttendsItWithoutTheGrace() throws Exception {
        FakeStream stream = new FakeStream();
        stream.owesNothing = true;
        stream.attached = false;
        stream.followed = true;
        Duration grace = Duration.ofMinutes(5);

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(Duration.ofMillis(20), grace, Duration.ofSeconds(30)), "owes-nothing")) {
            awaitUntil(() -> stream.ticks.get() >= 3);
            assertThat(stream.releases).as("a followed stream keeps its upstream").hasValue(0);

            stream.followed = false;
            awaitUntil(() -> stream.releases.get() == 1);
            int ticks = stream.ticks.get();
            Thread.sleep(200);
            assertThat(stream.ticks).as("no step after the release").hasValue(ticks);
        }
    }

    @Test
    void aStreamAttendedAgainWithinTheGraceStartsANewGraceWhenItIsLeftAgain() throws Exception {
        FakeStream stream = new FakeStream();
        stream.attached = false;
        Duration grace = Duration.ofSeconds(2);

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(Duration.ofMillis(20), grace, Duration.ofSeconds(30)), "back")) {
            awaitUntil(() -> stream.ticks.get() >= 1);
            stream.followed = true;
            int ticks = stream.ticks.get();
            awaitUntil(() -> stream.ticks.get() >= ticks + 2);
            long leftAgainAt = System.nanoTime();
            stream.followed = false;
            awaitUntil(() -> stream.releases.get() == 1);

            assertThat(stream.releasedAt - leftAgainAt).as("a whole new grace, not the rest of the first").isGreaterThanOrEqualTo(grace.toNanos());
        }
    }

    @Test
    void noStepRunsAfterClose() throws Exception {
        FakeStream stream = new FakeStream();
        StreamSupervisor supervisor = supervision.supervise(stream, settings(Duration.ofMillis(10), LONG, Duration.ofMillis(300)), "closed");
        awaitUntil(() -> stream.heartbeats.get() >= 2);

        supervisor.close();
        int ticks = stream.ticks.get();
        Thread.sleep(200);

        assertThat(stream.ticks).hasValue(ticks);
        assertThat(supervision.pending()).as("the closed stream's wake-up left the timer's queue").isZero();
        supervisor.close();
    }

    @Test
    void closeWaitsForARunningStepOnlyUpToItsBoundAndNoStepFollows() throws Exception {
        FakeStream stream = new FakeStream();
        CountDownLatch unblock = new CountDownLatch(1);
        stream.blockTicks = unblock;
        StreamSupervisor supervisor = supervision.supervise(stream, settings(Duration.ofMillis(10), LONG, Duration.ofMillis(300)), "stuck");
        assertThat(stream.inTick.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        supervisor.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("waited for the blocked step, up to the bound").isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(took).as("and no longer than the bound, give or take a busy machine").isLessThan(Duration.ofSeconds(5));
        unblock.countDown();
        awaitUntil(() -> stream.stepThreads.stream().noneMatch(Thread::isAlive));
        Thread.sleep(100);
        assertThat(stream.ticks).as("the step that was blocked schedules no other").hasValue(1);
        assertThat(supervision.pending()).isZero();
    }

    @Test
    void closeReturnsAsSoonAsTheRunningStepEnds() throws Exception {
        FakeStream stream = new FakeStream();
        CountDownLatch unblock = new CountDownLatch(1);
        stream.blockTicks = unblock;
        StreamSupervision patient = new StreamSupervision(Duration.ofSeconds(30));
        try (patient) {
            StreamSupervisor supervisor = patient.supervise(stream, settings(LONG, LONG, Duration.ofSeconds(30)), "short");
            assertThat(stream.inTick.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.ofVirtual().start(() -> {
                sleep(100);
                unblock.countDown();
            });

            long start = System.nanoTime();
            supervisor.close();

            assertThat(stream.stepThreads.getFirst().isAlive()).as("close returned after the step ended").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aStreamNeverHasTwoStepsAtOnce() throws Exception {
        FakeStream stream = new FakeStream();
        stream.attached = false;
        stream.followed = true;
        stream.tickTakes = Duration.ofMillis(30);

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(Duration.ofMillis(1), LONG, Duration.ofSeconds(30)), "slow")) {
            awaitUntil(() -> stream.ticks.get() >= 10);
        }

        assertThat(stream.mostTicksAtOnce).as("steps due every millisecond, each taking 30 ms, still run one at a time").hasValue(1);
    }

    @Test
    void aStepThatFailsIsRetriedAfterTheRenewalInterval() throws Exception {
        FakeStream stream = new FakeStream();
        stream.failNextTick = true;

        try (StreamSupervisor ignored = supervision.supervise(stream, settings(LONG, LONG, Duration.ofMillis(300)), "failing")) {
            awaitUntil(() -> stream.ticks.get() >= 2);
        }

        assertThat(stream.tickNanos.get(1) - stream.tickNanos.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos() - SLACK_NANOS);
    }

    @Test
    void afterShutdownNewStreamsGoUnsupervisedAndCloseStillWorks() throws Exception {
        FakeStream stream = new FakeStream();
        supervision.close();

        StreamSupervisor supervisor = supervision.supervise(stream, settings(Duration.ofMillis(10), LONG, Duration.ofMillis(300)), "late");
        Thread.sleep(100);
        supervisor.close();

        assertThat(stream.ticks).hasValue(0);
    }

    @Test
    void aStepRunningAtShutdownSchedulesNoOther() throws Exception {
        FakeStream stream = new FakeStream();
        CountDownLatch unblock = new CountDownLatch(1);
        stream.blockTicks = unblock;
        stream.alwaysJustWritten = true;
        StreamSupervisor supervisor = supervision.supervise(stream, settings(Duration.ofMillis(10), LONG, Duration.ofMillis(300)), "shutdown");
        assertThat(stream.inTick.await(10, TimeUnit.SECONDS)).isTrue();

        supervision.close();
        unblock.countDown();
        awaitUntil(() -> stream.stepThreads.stream().noneMatch(Thread::isAlive));
        Thread.sleep(100);

        assertThat(stream.ticks).hasValue(1);
        supervisor.close();
    }

    @Test
    void fiveThousandStreamsShareOneTimerThreadAndHoldNoThreadBetweenSteps() throws Exception {
        int platformBefore = Thread.getAllStackTraces().size();
        long timersBefore = timerThreads();
        StreamSettings settings = settings(LONG, LONG, Duration.ofSeconds(30));
        List<FakeStream> streams = new ArrayList<>();
        List<StreamSupervisor> supervisors = new ArrayList<>();
        try {
            for (int i = 0; i < 5_000; i++) {
                FakeStream stream = new FakeStream();
                stream.alwaysJustWritten = true;
                streams.add(stream);
                supervisors.add(supervision.supervise(stream, settings, "many-" + i));
            }
            awaitUntil(() -> streams.stream().allMatch(s -> s.ticks.get() == 1));
            awaitUntil(() -> streams.stream().allMatch(s -> s.stepThreads.stream().noneMatch(Thread::isAlive)));

            assertThat(supervision.pending()).as("one wake-up per open stream").isEqualTo(5_000);
            assertThat(streams).allSatisfy(s -> assertThat(s.stepThreads).singleElement()
                    .satisfies(t -> assertThat(t.isVirtual()).isTrue()));
            assertThat(timerThreads()).as("one timer thread for this supervision (other tests' may run too)").isEqualTo(timersBefore + 1);
            assertThat(Thread.getAllStackTraces().size()).as("platform threads do not grow with the streams")
                    .isLessThan(platformBefore + 20);
        } finally {
            supervisors.forEach(StreamSupervisor::close);
        }
        assertThat(supervision.pending()).isZero();
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(StreamSupervision.TIMER_THREAD)).count();
    }

    private static StreamSettings settings(Duration heartbeat, Duration grace, Duration lease) {
        return new StreamSettings(heartbeat, grace, 16, lease);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream that records what the supervision does to it and when ({@link System#nanoTime()}). */
    private static final class FakeStream implements SupervisedStream {
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicInteger heartbeats = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        final List<Long> tickNanos = new CopyOnWriteArrayList<>();
        final List<Long> heartbeatNanos = new CopyOnWriteArrayList<>();
        final List<Duration> repolledAfter = new CopyOnWriteArrayList<>();
        final List<Thread> stepThreads = new CopyOnWriteArrayList<>();
        final CountDownLatch inTick = new CountDownLatch(1);
        final AtomicInteger ticksAtOnce = new AtomicInteger();
        final AtomicInteger mostTicksAtOnce = new AtomicInteger();
        volatile boolean attached = true;
        volatile boolean followed;
        volatile boolean reattached;
        volatile Duration untilStale = Duration.ZERO;
        volatile boolean alwaysJustWritten;
        volatile boolean failNextTick;
        volatile boolean owesNothing;
        volatile long lastWrite = System.nanoTime();
        volatile long releasedAt;
        volatile CountDownLatch blockTicks;
        volatile Duration tickTakes = Duration.ZERO;

        @Override
        public void tick() {
            int atOnce = ticksAtOnce.incrementAndGet();
            mostTicksAtOnce.accumulateAndGet(atOnce, Math::max);
            try {
                ticks.incrementAndGet();
                tickNanos.add(System.nanoTime());
                if (!stepThreads.contains(Thread.currentThread())) {
                    stepThreads.add(Thread.currentThread());
                }
                inTick.countDown();
                CountDownLatch block = blockTicks;
                if (block != null) {
                    block.await();
                }
                sleep(tickTakes.toMillis());
                if (failNextTick) {
                    failNextTick = false;
                    throw new IllegalStateException("a bug in a step");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ticksAtOnce.decrementAndGet();
            }
        }

        @Override
        public void repollIfStale(Duration after) {
            repolledAfter.add(after);
        }

        @Override
        public boolean reattached() {
            return reattached;
        }

        @Override
        public Duration untilStale(Duration after) {
            return untilStale;
        }

        @Override
        public boolean attached() {
            return attached;
        }

        @Override
        public boolean attended() {
            return attached || followed;
        }

        @Override
        public long lastWriteNanos() {
            return alwaysJustWritten ? System.nanoTime() : lastWrite;
        }

        @Override
        public boolean heartbeat() {
            heartbeats.incrementAndGet();
            heartbeatNanos.add(System.nanoTime());
            lastWrite = System.nanoTime();
            return true;
        }

        @Override
        public boolean owesNothing() {
            return owesNothing;
        }

        @Override
        public void releaseUpstream() {
            releasedAt = System.nanoTime();
            releases.incrementAndGet();
        }
    }
}
