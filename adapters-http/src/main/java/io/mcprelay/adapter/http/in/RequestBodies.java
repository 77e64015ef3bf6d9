package io.mcprelay.adapter.http.in;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads request bodies up to a limit, taking memory only as bytes arrive, within a budget shared by
 * every body in flight.
 *
 * <p>A declared {@code Content-Length} is a claim, not bytes: sizing a buffer by it let a client that
 * declared 4 MiB and sent one byte make the relay allocate 4 MiB, and 200 of them ended a 512 MiB
 * process. Here a body starts in a buffer of at most {@value #FIRST_BUFFER} bytes (the exact size for
 * the usual small message, so no copy) that doubles only when it is full. Every byte of buffer is
 * first reserved from the budget ({@code listen.maxBodyMemory}); a body that cannot reserve is
 * refused with 503, and its memory is given back when the request ends ({@link Body#close()}).
 * The time a body may take is bounded by the connection's body deadline ({@link ClientConnection}).
 */
final class RequestBodies {

    static final int FIRST_BUFFER = 16 * 1024;

    private final int maxBytes;
    private final long budget;
    private final AtomicLong inFlight = new AtomicLong();

    RequestBodies(int maxBytes, long budget) {
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    /** Bytes of request bodies held now (for tests). */
    long inFlight() {
        return inFlight.get();
    }

    /** The body, or why it was refused; close it when the request is done. */
    Body read(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1L);
        if (declared > maxBytes) {
            return Body.refused(413, "Payload Too Large: the body exceeds " + maxBytes + " bytes");
        }
        if (!req.content().hasEntity()) {
            return new Body(this, new byte[0], 0, 0, null);
        }
        Body body = new Body(this, null, 0, 0, null);
        try (InputStream in = req.content().inputStream()) {
            return fill(body, in, declared);
        } catch (IOException | RuntimeException e) {
            body.close();
            return Body.refused(e);
        }
    }

    private Body fill(Body body, InputStream in, long declared) throws IOException {
        int first = (int) (declared >= 0 ? Math.min(declared, FIRST_BUFFER) : Math.min(FIRST_BUFFER, maxBytes + 1L));
        if (!body.grow(Math.max(first, 1))) {
            return tooMuchInFlight(body);
        }
        while (true) {
            if (body.length == body.buffer.length) {
                if (body.length > maxBytes) {
                    body.close();
                    return Body.refused(413, "Payload Too Large: the body exceeds " + maxBytes + " bytes");
                }
                int next = in.read();
                if (next < 0) {
                    return body;
                }
                int size = (int) Math.min((long) body.buffer.length * 2, maxBytes + 1L);
                if (!body.grow(Math.max(size, body.length + 1))) {
                    return tooMuchInFlight(body);
                }
                body.buffer[body.length++] = (byte) next;
                continue;
            }
            int n = in.read(body.buffer, body.length, body.buffer.length - body.length);
            if (n < 0) {
                return body.exact();
            }
            body.length += n;
        }
    }

    private Body tooMuchInFlight(Body body) {
        body.close();
        return Body.refused(503, "Service Unavailable: request bodies in flight hold their limit of " + budget
                + " bytes (listen.maxBodyMemory); retry later");
    }

    private boolean reserve(long bytes) {
        while (true) {
            long now = inFlight.get();
            if (now + bytes > budget) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private void giveBack(long bytes) {
        inFlight.addAndGet(-bytes);
    }

    /**
     * A request body, or the status and reason it was refused with. The bytes it reserved are given
     * back once by {@link #close()}.
     */
    static final class Body implements AutoCloseable {

        private final RequestBodies owner;
        private byte[] buffer;
        private int length;
        private long reserved;
        private final Refusal refusal;

        private Body(RequestBodies owner, byte[] buffer, int length, long reserved, Refusal refusal) {
            this.owner = owner;
            this.buffer = buffer;
            this.length = buffer == null ? length : buffer.length;
            this.reserved = reserved;
            this.refusal = refusal;
        }

        static Body refused(int status, String detail) {
            return new Body(null, null, 0, 0, new Refusal(status, detail));
        }

        /** A failure while reading: the framing or deadline problem it carries, else the connection's failure. */
        static Body refused(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof FramingViolation violation) {
                    return refused(violation.status(), (violation.status() == 408 ? "" : "Bad Request: ") + violation.getMessage());
                }
            }
            return refused(400, "Bad Request: the body could not be read (" + (failure instanceof UncheckedIOException
                    || failure instanceof IOException ? "the connection failed" : failure.getClass().getSimpleName()) + ")");
        }

        /** Null when the body was read. */
        Refusal refusal() {
            return refusal;
        }

        byte[] bytes() {
            return buffer;
        }

        private boolean grow(int size) {
            long more = size - (buffer == null ? 0 : buffer.length);
            if (!owner.reserve(more)) {
                return false;
            }
            reserved += more;
            buffer = buffer == null ? new byte[size] : Arrays.copyOf(buffer, size);
            return true;
        }

        private Body exact() {
            if (length < buffer.length) {
                long spare = buffer.length - length;
                buffer = Arrays.copyOf(buffer, length);
                reserved -= spare;
                owner.giveBack(spare);
            }
            return this;
        }

        @Override
        public void close() {
            if (owner != null && reserved > 0) {
                owner.giveBack(reserved);
                reserved = 0;
            }
        }
    }

    /** Why a body was refused: an HTTP status and the detail of its JSON-RPC error. */
    record Refusal(int status, String detail) {
    }
}
