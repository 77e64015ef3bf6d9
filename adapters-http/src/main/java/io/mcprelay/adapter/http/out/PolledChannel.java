package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * An upstream connection's channel while its event stream waits for events in the
 * {@link ReadinessPoller}: in non-blocking mode and registered from the stream's first wait there
 * until {@link #end()}, which puts it back in blocking mode for the next request on the connection.
 * Only {@link #closed()} may come from another thread than the stream's.
 */
final class PolledChannel {

    private final SocketChannel channel;
    /** The registration of the stream waiting now, or null: the channel is then in blocking mode. */
    private volatile ReadinessPoller.Registration registration;
    /** Whether the channel ever was registered: closing it then wakes the poller, which lets go of it. */
    private volatile boolean registeredOnce;

    PolledChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** Whether reads must not block: the channel is in non-blocking mode, waiting in the poller. */
    boolean active() {
        return registration != null;
    }

    /**
     * Parks the calling thread until the channel is readable (or at its end, or closed), or it is
     * interrupted; switches the channel to non-blocking mode and registers it on the first wait.
     */
    void awaitReadable() throws IOException {
        ReadinessPoller.Registration current = registration;
        if (current == null) {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
            }
            current = ReadinessPoller.shared().register(channel);
            registeredOnce = true;
            registration = current;
            if (!channel.isOpen()) {
                // closed meanwhile: closed() may have missed the registration
                current.wake();
            }
        }
        current.await();
    }

    /**
     * Takes the channel out of the poller and back to blocking mode, so that the connection can serve
     * a request again; true when it was not in the poller. False when that failed (then it must not be
     * reused).
     */
    boolean end() {
        ReadinessPoller.Registration current = registration;
        if (current == null) {
            return true;
        }
        registration = null;
        current.cancel();
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(true);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** After the channel was closed: ends a wait in progress and lets the selector drop the channel. */
    void closed() {
        ReadinessPoller.Registration current = registration;
        if (current != null) {
            current.wake();
        }
        if (registeredOnce) {
            // a channel that was registered really closes when the selector lets go of it, at its next wake-up
            ReadinessPoller.shared().flush();
        }
    }
}
