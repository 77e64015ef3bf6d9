package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TakeOverSlotsTest {

    @Test
    void aBoundedNumberAtOnceAndASlotComesFreeWhenClosedOnce() {
        TakeOverSlots slots = new TakeOverSlots(2);
        Optional<TakeOverSlots.Slot> first = slots.take(Duration.ZERO);
        Optional<TakeOverSlots.Slot> second = slots.take(Duration.ZERO);
        assertThat(first).isPresent();
        assertThat(second).isPresent();

        long started = System.nanoTime();
        assertThat(slots.take(Duration.ofMillis(50))).as("both taken: the wait runs out").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(40));

        first.get().close();
        first.get().close();
        assertThat(slots.free()).as("closed twice, freed once").isEqualTo(1);
        assertThat(slots.take(Duration.ZERO)).isPresent();
        second.get().close();
        assertThat(slots.take(Duration.ofDays(365L * 1_000_000L))).as("a wait too long for nanoseconds").isPresent();
    }

    @Test
    void aSlotFreedByAnotherThreadWakesTheWaiter() throws Exception {
        TakeOverSlots slots = new TakeOverSlots(1);
        TakeOverSlots.Slot held = slots.take(Duration.ZERO).orElseThrow();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });

        assertThat(slots.take(Duration.ofSeconds(30))).isPresent();
    }

    @Test
    void anInterruptedWaitGetsNoSlotAndStaysInterrupted() {
        TakeOverSlots slots = new TakeOverSlots(1);
        slots.take(Duration.ZERO).orElseThrow();
        Thread.currentThread().interrupt();
        try {
            assertThat(slots.take(Duration.ofSeconds(30))).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThatThrownBy(() -> new TakeOverSlots(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
