package io.mcprelay.adapter.http.in;

import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/** Reads request bodies up to a limit: a declared or actual size over it is refused without reading further. */
final class RequestBodies {

    private final int maxBytes;

    RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body, or empty when it is larger than the limit. */
    Optional<byte[]> read(ServerRequest req) {
        if (req.headers().contentLength().orElse(0L) > maxBytes) {
            return Optional.empty();
        }
        if (!req.content().hasEntity()) {
            return Optional.of(new byte[0]);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = readAtMost(in, req.headers().contentLength().orElse(-1L), maxBytes + 1);
            return body.length > maxBytes ? Optional.empty() : Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * At most {@code max} bytes of {@code in}. A declared length sizes the buffer: {@code readNBytes(max)}
     * alone allocates 16 KiB arrays (its own and Helidon's, per read) however small the body, which was
     * a large part of the JSON path's garbage (docs/benchmarks.md). Reads on to the end of the entity
     * as before, and copes with a body that is not the declared length.
     */
    private static byte[] readAtMost(InputStream in, long declared, int max) throws IOException {
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
