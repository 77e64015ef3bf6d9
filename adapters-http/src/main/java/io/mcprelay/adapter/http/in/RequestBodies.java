package io.mcprelay.adapter.http.in;

import io.helidon.webserver.http.ServerRequest;
import io.mcprelay.adapter.http.BoundedReads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
            byte[] body = BoundedReads.readAtMost(in, req.headers().contentLength().orElse(-1L), maxBytes + 1);
            return body.length > maxBytes ? Optional.empty() : Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
