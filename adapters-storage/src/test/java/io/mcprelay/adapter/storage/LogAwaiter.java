package io.mcprelay.adapter.storage;

import io.mcprelay.application.port.out.LogSlice;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one blocking log read on a thread of its own and times it, so a test can act while the read
 * waits and then check what it returned and whether it returned before its timeout.
 */
public final class LogAwaiter implements AutoCloseable {

    /** How long a test waits for the reading thread to park before failing. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long a test waits for the read's result: longer than the timeouts tests give their reads. */
    private static final Duration RESULT_PATIENCE = Duration.ofSeconds(30);
    /** Extra time after the thread parked, for a store whose wait takes a few steps to set up. */
    private static final Duration SETTLE = Duration.ofMillis(100);

    private final CompletableFuture<LogSlice> result = new CompletableFuture<>();
    private final Thread thread;
    private volatile long startedAt;
    private volatile long endedAt;

    private LogAwaiter(Supplier<LogSlice> read) {
        thread = Thread.ofPlatform().name("log-awaiter").daemon().unstarted(() -> {
            startedAt = System.nanoTime();
            try {
                LogSlice slice = read.get();
                endedAt = System.nanoTime();
                result.complete(slice);
            } catch (RuntimeException | Error e) {
                endedAt = System.nanoTime();
                result.completeExceptionally(e);
            }
        });
    }

    /** Starts {@code read} on a new platform thread. */
    public static LogAwaiter start(Supplier<LogSlice> read) {
        LogAwaiter awaiter = new LogAwaiter(read);
        awaiter.thread.start();
        return awaiter;
    }

    /**
     * Returns once the reading thread is parked (waiting, not spinning) and a little more; fails if
     * it never parks. A read that returned already counts as parked: the test's later checks then
     * tell whether it returned too early.
     */
    public LogAwaiter awaitParked() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!result.isDone()) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING) {
                Thread.sleep(SETTLE);
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the reading thread never parked; it stayed " + state);
            }
            Thread.sleep(5);
        }
        return this;
    }

    /** What the read returned; fails if it has not returned within a generous bound. */
    public LogSlice result() throws Exception {
        return result.get(RESULT_PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** How long the read took; call after {@link #result()}. */
    public Duration elapsed() {
        return Duration.ofNanos(endedAt - startedAt);
    }

    /** The reading thread, to interrupt it. */
    public Thread thread() {
        return thread;
    }

    /** Interrupts a read still running, so a failed test leaves no thread behind. */
    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
