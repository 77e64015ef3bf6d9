package io.mcprelay.adapter.stdio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a process's stdin: each message goes out as one line, whole, even when several
 * requests of a session are sent at once (a lock, not {@code synchronized}, so a virtual thread
 * blocked on a full pipe does not pin its carrier).
 *
 * <p>A client may send pretty-printed JSON. A raw line break can only be whitespace between tokens
 * in valid JSON (inside strings it must be escaped), so it is written as a space: the message
 * means the same and stays on one line.
 */
final class LineWriter implements AutoCloseable {

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    LineWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code json} and a line break, and flushes. */
    void write(byte[] json) throws IOException {
        byte[] line = new byte[json.length + 1];
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            line[i] = b == '\n' || b == '\r' ? (byte) ' ' : b;
        }
        line[json.length] = '\n';
        lock.lock();
        try {
            if (closed) {
                throw new IOException("stdin is closed");
            }
            out.write(line);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Closes stdin: a well-behaved server takes end of input as the signal to exit. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                out.close();
            }
        } catch (IOException ignored) {
            // the process is gone already; closing is all that was asked
        } finally {
            lock.unlock();
        }
    }
}
