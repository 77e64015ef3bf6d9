package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an upstream answer's body whole, up to a limit, taking memory as its bytes arrive. A declared
 * {@code Content-Length} sizes the first buffer only up to {@value #FIRST_BUFFER} bytes: an upstream
 * that declares 16 MiB and sends ten bytes must not make the relay allocate 16 MiB (once per request
 * it is sent), so a larger body grows its buffer by doubling as it comes, at most twice what arrived.
 * The usual small answer still gets one array of its exact size, and no copy.
 */
final class AnswerBodies {

    /** The largest buffer taken before any byte of the body came. */
    static final int FIRST_BUFFER = 64 << 10;
    /** The first buffer when no length was declared. */
    static final int UNKNOWN_LENGTH_BUFFER = 8 << 10;

    private AnswerBodies() {
    }

    /** At most {@code max} bytes of {@code in}; {@code declared} is the declared length, or negative when none is. */
    static byte[] readAtMost(InputStream in, long declared, int max) throws IOException {
        int first = (int) Math.min(max, declared >= 0 ? Math.min(declared, FIRST_BUFFER) : UNKNOWN_LENGTH_BUFFER);
        byte[] buffer = new byte[first];
        int filled = 0;
        while (true) {
            if (filled == buffer.length) {
                if (filled == max) {
                    return buffer;
                }
                int next = in.read(); // more than the buffer holds? grow only then
                if (next < 0) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(2L * filled, UNKNOWN_LENGTH_BUFFER)));
                buffer[filled++] = (byte) next;
                continue;
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                return Arrays.copyOf(buffer, filled);
            }
            filled += n;
        }
    }
}
