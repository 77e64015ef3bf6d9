package io.mcprelay.adapter.http.in;

import java.nio.charset.StandardCharsets;

/**
 * The strict reader of one chunked request body for {@link RequestFraming} (RFC 9112 7.1): chunk sizes
 * are hex without sign or overflow, size lines and trailer lines end in CRLF, chunk data ends in CRLF.
 * It re-encodes as it reads: size lines, extensions and trailers are dropped, each run of data that
 * arrived goes on as a chunk of its own, and the last chunk is written anew ({@link FramedOutput}).
 *
 * <p>Not thread-safe: one connection's reader thread feeds it.
 */
final class ChunkedFraming {

    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 4096;
    private static final long MAX_CHUNK_SIZE = Long.MAX_VALUE >> 4;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Where a broken rule goes: the framing records the first and reads nothing after it. */
    @FunctionalInterface
    interface Violations {
        void fail(int status, String message);
    }

    private enum State { SIZE, EXT, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, TRAILERS_LF, DONE }

    private final FramedOutput output;
    private final Violations violations;
    private State state = State.DONE;
    private long remaining;
    private boolean sizeDigits;
    private int lineBytes;

    ChunkedFraming(FramedOutput output, Violations violations) {
        this.output = output;
        this.violations = violations;
    }

    /** Starts a body, after the head that declared it. */
    void start() {
        state = State.SIZE;
        remaining = 0;
        sizeDigits = false;
        lineBytes = 0;
    }

    /** Whether the body has been read whole (its last chunk and trailers). */
    boolean done() {
        return state == State.DONE;
    }

    /** Reads {@code in[i]} (in chunk data, the run of data it starts); returns how many bytes it took. */
    int step(byte[] in, int i) {
        if (state == State.DATA) {
            return data(in, i);
        }
        int b = in[i] & 0xff;
        output.drop(in, i);
        switch (state) {
            case SIZE -> size(b);
            case EXT -> {
                chunkLine();
                if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b < 0x20 && b != '\t' || b == 0x7f) {
                    fail(b == '\n' ? "a chunk-size line ends in a bare LF" : "a control character in a chunk extension");
                }
            }
            case SIZE_LF -> {
                expect(b == '\n', "a chunk-size line must end in CRLF");
                lineBytes = 0;
                state = remaining == 0 ? State.TRAILER_START : State.DATA;
            }
            case DATA_CR -> {
                expect(b == '\r', "chunk data must be followed by CRLF");
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                expect(b == '\n', "chunk data must be followed by CRLF");
                state = State.SIZE;
                remaining = 0;
                sizeDigits = false;
            }
            case TRAILER_START -> {
                if (b == '\r') {
                    state = State.TRAILERS_LF;
                } else if (RequestFraming.isTchar(b)) {
                    trailerBytes();
                    state = State.TRAILER;
                } else {
                    fail("a trailer line that is not a header field");
                }
            }
            case TRAILER -> {
                trailerBytes();
                if (b == '\r') {
                    state = State.TRAILER_LF;
                } else if (b == '\n' || b < 0x20 && b != '\t' || b == 0x7f) {
                    fail("a trailer line ends in a bare LF or holds a control character");
                }
            }
            case TRAILER_LF -> {
                expect(b == '\n', "a trailer line must end in CRLF");
                state = State.TRAILER_START;
            }
            case TRAILERS_LF -> {
                expect(b == '\n', "the chunked body must end in CRLF");
                output.emit(LAST_CHUNK);
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
        return 1;
    }

    private void size(int b) {
        chunkLine();
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (remaining > MAX_CHUNK_SIZE >> 4) {
                fail("the chunk size overflows");
            }
            remaining = remaining << 4 | digit;
            sizeDigits = true;
        } else if (!sizeDigits) {
            fail("a chunk size must start with a hex digit");
        } else if (b == ';' || b == ' ' || b == '\t') {
            state = State.EXT;
        } else if (b == '\r') {
            state = State.SIZE_LF;
        } else {
            fail(b == '\n' ? "a chunk-size line ends in a bare LF" : "a chunk size that is not hex");
        }
    }

    /** A run of chunk data starting at {@code in[i]}: re-framed as one chunk of what this buffer holds. */
    private int data(byte[] in, int i) {
        int run = (int) Math.min(remaining, in.length - i);
        output.chunk(in, i, run);
        remaining -= run;
        if (remaining == 0) {
            state = State.DATA_CR;
        }
        return run;
    }

    private void chunkLine() {
        if (++lineBytes > MAX_CHUNK_LINE) {
            fail("a chunk-size line longer than " + MAX_CHUNK_LINE + " bytes");
        }
    }

    private void trailerBytes() {
        if (++lineBytes > MAX_TRAILER_BYTES) {
            fail("trailers larger than " + MAX_TRAILER_BYTES + " bytes");
        }
    }

    private void expect(boolean ok, String message) {
        if (!ok) {
            fail(message);
        }
    }

    private void fail(String message) {
        violations.fail(400, message);
    }
}
