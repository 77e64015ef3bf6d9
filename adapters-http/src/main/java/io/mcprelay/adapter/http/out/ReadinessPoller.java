package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks a thread until an upstream channel has bytes to read, without reading them: what lets an
 * open event stream wait for its next event with a shallow stack.
 *
 * <p>Why: a stream's thread spends nearly all its life waiting for the upstream's next event, and a
 * parked virtual thread keeps its stack on the heap. Blocked inside a socket read, under the event
 * parser, the chunked-body decoder and the JDK's socket and poller layers, that stack was about
 * 12.5 KiB per open stream, a third of the relay's memory per stream (docs/benchmarks.md, "memory
 * per stream"). Waiting here, right under the stream's pump, it is about 7.7 KiB.
 *
 * <p>How: one platform thread selects over the channels of the streams that wait. A waiting thread
 * queues its {@link Registration} and parks; the selector thread registers it, or re-arms it for
 * reading, and unparks the thread once the channel is readable. Only the selector thread changes
 * registrations, so a channel may go back to blocking mode ({@link Registration#cancel()}) and be
 * registered again later without racing the selector's flush of cancelled keys. A channel that waits
 * here must be in non-blocking mode while registered; {@link UpstreamConnection} switches it.
 *
 * <p>One poller serves the whole JVM, like the JDK's own: it holds a selector (two descriptors) and
 * a daemon thread from the first wait on, and nothing per channel beyond its selection key.
 */
final class ReadinessPoller {

    private static final ReadinessPoller SHARED = new ReadinessPoller();

    private final ConcurrentLinkedQueue<Registration> changes = new ConcurrentLinkedQueue<>();
    private volatile Selector selector;

    static ReadinessPoller shared() {
        return SHARED;
    }

    /** A channel's place in the poller, for as long as it may wait here. */
    Registration register(SocketChannel channel) {
        return new Registration(this, channel);
    }

    private Selector selector() {
        Selector known = selector;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (selector == null) {
                try {
                    Selector opened = Selector.open();
                    Thread.ofPlatform().daemon().name("mcp-relay-stream-poller").start(() -> run(opened));
                    selector = opened;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the selector that waits for upstream streams", e);
                }
            }
            return selector;
        }
    }

    private void submit(Registration registration) {
        changes.add(registration);
        selector().wakeup();
    }

    /** Wakes the selector, so that it lets go of a channel that was closed while registered. */
    void flush() {
        Selector known = selector;
        if (known != null) {
            known.wakeup();
        }
    }

    private void run(Selector selector) {
        while (true) {
            try {
                selector.select();
                Registration change;
                while ((change = changes.poll()) != null) {
                    apply(selector, change);
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Registration registration = (Registration) key.attachment();
                    try {
                        key.interestOps(0);
                    } catch (CancelledKeyException e) {
                        // closed or cancelled meanwhile: the waiter is woken either way
                    }
                    registration.signal();
                }
            } catch (IOException | RuntimeException e) {
                // select fails only if the selector itself is broken; wake every waiter rather than strand it
                System.getLogger(ReadinessPoller.class.getName()).log(System.Logger.Level.ERROR,
                        "the stream poller failed; waiting streams are woken to read on their own", e);
                for (SelectionKey key : selector.keys()) {
                    ((Registration) key.attachment()).signal();
                }
                Registration change;
                while ((change = changes.poll()) != null) {
                    change.signal();
                }
                LockSupport.parkNanos(10_000_000L); // not a busy loop if the selector stays broken
            }
        }
    }

    /** On the selector thread: registers, re-arms or cancels one channel. */
    private static void apply(Selector selector, Registration registration) throws IOException {
        if (registration.cancelled) {
            if (registration.key != null) {
                registration.key.cancel();
            }
            return;
        }
        try {
            if (registration.key == null) {
                try {
                    registration.key = registration.channel.register(selector, SelectionKey.OP_READ, registration);
                } catch (CancelledKeyException e) {
                    // the key of an earlier stream on this channel is cancelled but not yet flushed: flush it
                    selector.selectNow();
                    registration.key = registration.channel.register(selector, SelectionKey.OP_READ, registration);
                }
            } else {
                registration.key.interestOps(SelectionKey.OP_READ);
            }
        } catch (ClosedChannelException | CancelledKeyException | java.nio.channels.IllegalBlockingModeException e) {
            // closed, cancelled or not waitable: the waiter wakes and its read says what happened
            registration.signal();
        }
    }

    /**
     * One channel's waits. Used by one thread at a time ({@link #await()}); {@link #wake()} and
     * {@link #cancel()} may come from any thread.
     */
    static final class Registration {
        private final ReadinessPoller poller;
        private final SocketChannel channel;
        /** Selector thread only, but read by {@link #cancel()} from others. */
        private volatile SelectionKey key;
        private volatile boolean cancelled;
        private volatile boolean signalled;
        private volatile Thread waiter;

        private Registration(ReadinessPoller poller, SocketChannel channel) {
            this.poller = poller;
            this.channel = channel;
        }

        /**
         * Parks until the channel is readable (or at its end, or closed), {@link #wake()} is called or
         * the thread is interrupted. May return early: the caller reads and, finding nothing, waits again.
         */
        void await() {
            signalled = false;
            waiter = Thread.currentThread();
            poller.submit(this);
            while (!signalled && !Thread.currentThread().isInterrupted()) {
                LockSupport.park(this);
            }
            waiter = null;
        }

        /** Ends a wait in progress: the channel was closed, or the wait timed out. */
        void wake() {
            signal();
        }

        private void signal() {
            signalled = true;
            Thread thread = waiter;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Takes the channel out of the selector, after which it may go back to blocking mode; no wait
         * may be in progress. A later {@link ReadinessPoller#register} registers it anew.
         */
        void cancel() {
            cancelled = true;
            SelectionKey known = key;
            if (known != null) {
                known.cancel();
            }
            poller.submit(this);
        }

        /** Whether the channel still has a valid key in the selector (then it cannot block). */
        boolean registered() {
            SelectionKey known = key;
            return known != null && known.isValid();
        }
    }
}
