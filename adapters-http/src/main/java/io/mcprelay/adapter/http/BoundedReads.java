package io.mcprelay.adapter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an HTTP entity up to a limit, shared by the inbound (request bodies) and outbound (upstream
 * answers) sides. (Not exported: a detail of this module's adapters.)
 */
public final class BoundedReads {

    private BoundedReads() {
    }

    /**
     * At most {@code max} bytes of {@code in}. A declared length ({@code Content-Length}, or a
     * negative number when there is none) sizes the buffer: {@code readNBytes(max)} alone allocates
     * 16 KiB arrays (its own and Helidon's, per read) however small the entity, which was most of the
     * JSON path's garbage (docs/benchmarks.md). Reads on to the end of the entity and copes with one
     * that is not the declared length.
     */
    public static byte[] readAtMost(InputStream in, long declared, int max) throws IOException {
        if (declared < 0 || declared >= max) {
            return in.readNBytes(max);
        }
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
            return Arrays.copyOf(body, read);
        }
        int next = in.read();
        if (next < 0) {
            return body;
        }
        ByteArrayOutputStream longer = new ByteArrayOutputStream(body.length + 1);
        longer.writeBytes(body);
        longer.write(next);
        longer.writeBytes(in.readNBytes(max - body.length - 1));
        return longer.toByteArray();
    }
}
