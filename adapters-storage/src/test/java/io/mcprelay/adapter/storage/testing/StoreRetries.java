package io.mcprelay.adapter.storage.testing;

import io.mcprelay.application.port.out.StoreUnavailableException;
import java.time.Duration;
import java.util.function.Supplier;

/** Retrying a store call while the store reconnects, for tests that kill or restart Redis. */
public final class StoreRetries {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration PAUSE = Duration.ofMillis(50);

    private StoreRetries() {
    }

    /**
     * The first answer {@code call} gives without {@link StoreUnavailableException} (a reconnection
     * under way), trying every 50 ms for up to 10 s; then the last failure.
     */
    public static <T> T eventually(Supplier<T> call) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(PAUSE);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
