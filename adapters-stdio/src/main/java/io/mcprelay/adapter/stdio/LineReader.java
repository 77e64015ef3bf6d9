package io.mcprelay.adapter.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a process's output into lines ({@code \n}, an optional {@code \r} before it dropped), each
 * at most {@code maxLineBytes}. Memory grows with the bytes that actually arrived, never with what a
 * line might become: a process cannot make the relay reserve its limit by announcing anything. Not
 * thread-safe: one reader per stream.
 */
final class LineReader {

    /** A line longer than the bound: the stream cannot be trusted to be in step any more. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int max) {
            super("a line longer than " + max + " bytes");
        }
    }

    private static final int FIRST_CAPACITY = 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[FIRST_CAPACITY];

    LineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its line break, or {@code null} at the end of the stream (a last line
     * without a line break is returned first).
     *
     * @throws LineTooLongException a line went past the bound (what was read of it is dropped)
     */
    byte[] next() throws IOException {
        int length = 0;
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    return length == 0 ? null : trimmed(length);
                }
                chunkPos = 0;
                chunkEnd = n;
            }
            while (chunkPos < chunkEnd) {
                byte b = chunk[chunkPos++];
                if (b == '\n') {
                    return trimmed(length);
                }
                if (length == maxLineBytes) {
                    skipRestOfLine();
                    throw new LineTooLongException(maxLineBytes);
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
                }
                line[length++] = b;
            }
        }
    }

    private byte[] trimmed(int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        byte[] out = Arrays.copyOf(line, end);
        if (line.length > FIRST_CAPACITY * 64) {
            line = new byte[FIRST_CAPACITY];    // one huge line does not pin its buffer for the process's life
        }
        return out;
    }

    /** Consumes up to the next line break, so a caller that goes on reads the following line. */
    private void skipRestOfLine() throws IOException {
        while (true) {
            while (chunkPos < chunkEnd) {
                if (chunk[chunkPos++] == '\n') {
                    return;
                }
            }
            int n = in.read(chunk);
            if (n < 0) {
                chunkPos = chunkEnd = 0;
                return;
            }
            chunkPos = 0;
            chunkEnd = n;
        }
    }
}
