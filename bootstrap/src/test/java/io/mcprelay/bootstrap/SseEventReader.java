package io.mcprelay.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A line-by-line {@code text/event-stream} reader for tests, as the WHATWG parsing rules read one:
 * comments skipped, one event per blank line, a single space after the colon dropped, data lines
 * joined by newlines.
 */
final class SseEventReader implements AutoCloseable {

    /** One server-sent event as the client received it; {@code null} for a field the event lacks. */
    record SseEvent(String id, String type, String data, String retry) {
    }

    private final InputStream in;
    private final BufferedReader lines;

    SseEventReader(InputStream in) {
        this.in = in;
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or empty at the end of the response. */
    Optional<SseEvent> next() throws IOException {
        String id = null;
        String type = null;
        String retry = null;
        StringBuilder data = null;
        boolean any = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (any) {
                    return Optional.of(new SseEvent(id, type, data == null ? "" : data.toString(), retry));
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "retry" -> retry = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // unknown fields are ignored
            }
            any = true;
        }
        return Optional.empty();
    }

    /** The whole remaining body as text (for error answers). */
    String rest() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
