package io.mcprelay.adapter.stdio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages of one stream (a request's, or a session's standalone one) between the process's
 * stdout reader and the one consumer that relays them: bounded, each message numbered with the
 * stream's next cursor ({@code 1}, {@code 2}, …), the end always deliverable after the messages
 * already queued. The consumer taking over ({@link #attach()}) makes an earlier consumer's next
 * read return {@link End} with {@link EndCause#REPLACED}, so one stream never feeds two clients.
 */
final class StreamQueue {

    /** Why a stream ended. */
    enum EndCause {
        /** The request was answered: the answer was the last message. */
        ANSWERED,
        /** The process exited or was stopped, or its output broke. */
        PROCESS_ENDED,
        /** Another consumer attached to the stream. */
        REPLACED,
        /** The consumer fell too far behind and the stream was dropped. */
        OVERFLOW
    }

    sealed interface Item {
    }

    /** A message and its cursor on this stream. */
    record Message(long cursor, WireMessage message) implements Item {
        Message {
            Objects.requireNonNull(message, "message");
        }
    }

    record End(EndCause cause, String detail) implements Item {
        End {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private End end;
    private long lastCursor;
    private long consumer;

    StreamQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Adds a message, waiting at most {@code wait} for room. Returns {@code false} if the stream has
     * ended or stayed full (with {@link Duration#ZERO}: is full now).
     */
    boolean offer(WireMessage message, Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (end == null && messages.size() >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            if (end != null) {
                return false;
            }
            messages.add(new Message(++lastCursor, message));
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream after what is queued; the first end wins. */
    void end(EndCause cause, String detail) {
        lock.lock();
        try {
            if (end == null) {
                end = new End(cause, detail);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream now, dropping what is queued: its consumer is gone. */
    void discard() {
        lock.lock();
        try {
            messages.clear();
            end(EndCause.PROCESS_ENDED, "discarded");
        } finally {
            lock.unlock();
        }
    }

    /** Makes the caller the stream's consumer; returns its token for {@link #poll}. */
    long attach() {
        lock.lock();
        try {
            consumer++;
            changed.signalAll();
            return consumer;
        } finally {
            lock.unlock();
        }
    }

    /** Consumer {@code token} leaves; its blocked read returns (the stream itself goes on for the next). */
    void release(long token) {
        lock.lock();
        try {
            if (consumer == token) {
                consumer++;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next item for consumer {@code token}, waiting at most {@code wait}; empty if none came.
     * After an {@link End} the same end is returned again.
     */
    Optional<Item> poll(long token, Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (true) {
                if (token != consumer) {
                    return Optional.of(new End(EndCause.REPLACED, "another consumer took the stream over"));
                }
                Message next = messages.poll();
                if (next != null) {
                    changed.signalAll();
                    return Optional.of(next);
                }
                if (end != null) {
                    return Optional.of(end);
                }
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the next item for consumer {@code token}. */
    Item take(long token) throws InterruptedException {
        while (true) {
            Optional<Item> item = poll(token, Duration.ofDays(1));
            if (item.isPresent()) {
                return item.get();
            }
        }
    }

    boolean ended() {
        lock.lock();
        try {
            return end != null;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }
}
