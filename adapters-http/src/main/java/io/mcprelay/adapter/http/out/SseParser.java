package io.mcprelay.adapter.http.out;

import io.mcprelay.domain.stream.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An incremental parser of {@code text/event-stream} (the WHATWG event-stream format): returns each
 * event as soon as its terminating blank line has arrived, never waiting for the stream's end.
 *
 * <p>Lines end with LF, CR or CRLF, also when a CRLF is split across two reads; a leading UTF-8 BOM is
 * skipped; lines are decoded as UTF-8 only once complete, so a character split across reads is
 * decoded whole. Comment lines ({@code :...}) are dropped. Unlike a browser, which dispatches only
 * events with data, the parser also returns events that carry only an {@code id} or a
 * {@code retry}: a proxy needs the upstream's resume cursor and reconnection hint. A line or event
 * larger than {@code maxEventBytes} fails with {@link EventTooLargeException}; an event cut off by
 * the end of the stream is discarded, as the format requires.
 */
final class SseParser {

    private final InputStream in;
    private final int maxEventBytes;
    /**
     * Read size. Small on purpose: a stream spends most of its life blocked in a read, holding this
     * buffer, for every open stream; MCP events are mostly well under 1 KiB (docs/benchmarks.md,
     * memory per open stream). A larger event takes more reads.
     */
    private static final int READ_SIZE = 1024;
    /** The line buffer's usual size; one grown past {@link #KEPT_LINE_BYTES} by a long line is dropped after its event. */
    private static final int LINE_BYTES = 256;
    private static final int KEPT_LINE_BYTES = 4096;
    /** A data buffer grown past this by a large event is dropped after it, not kept for the stream's life. */
    private static final int KEPT_DATA_CHARS = 8192;

    private static final byte[] NONE = new byte[0];
    /** The capacity of a new {@link StringBuilder}. */
    private static final int EMPTY_DATA_CHARS = 16;

    /** Empty ({@link #NONE}) between events while the stream waits: see {@link #dropBuffers()}. */
    private byte[] buffer = new byte[READ_SIZE];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private boolean started;

    private byte[] line = new byte[LINE_BYTES];
    private int lineLength;
    /** Bytes of the fields of the event being assembled (comments don't count). */
    private int eventBytes;

    private StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String id;
    private String event;
    private Long retry;

    SseParser(InputStream in, int maxEventBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
    }

    /** Thrown when an event exceeds the configured size. */
    static final class EventTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        EventTooLargeException(int max) {
            super("an upstream event exceeds the limit of " + max + " bytes");
        }
    }

    /** Bytes and chars the parser holds between events (its read, line and data buffers), for tests. */
    int retainedCapacity() {
        return buffer.length + line.length + data.capacity();
    }

    /** Whether bytes read from the body are waiting to be parsed (then the next event may need no read). */
    boolean holdsInput() {
        return position < limit;
    }

    /**
     * Lets go of the read, line and data buffers, about 1.3 KiB, while no byte is held: called before the
     * stream waits for its next event, which may take minutes, for every open stream at once. The next
     * read allocates them again (a young-generation allocation per event, cheaper than keeping them).
     */
    void dropBuffers() {
        if (position == limit && lineLength == 0) {
            buffer = NONE;
            position = 0;
            limit = 0;
            line = NONE;
            if (data.capacity() > EMPTY_DATA_CHARS) {
                data = new StringBuilder();
            }
        }
    }

    /** The next event, or empty once the stream has ended. */
    Optional<SseEvent> next() throws IOException {
        while (readLine()) {
            if (lineLength == 0) {
                if (hasData || id != null || event != null || retry != null) {
                    return Optional.of(dispatch());
                }
                eventBytes = 0;
                continue;
            }
            if (line[0] != ':') {
                eventBytes += lineLength;
                processLine(new String(line, 0, lineLength, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private void processLine(String text) {
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            case "event" -> event = value;
            case "retry" -> {
                if (!value.isEmpty() && value.length() < 12 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retry = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored, as the format requires
            }
        }
    }

    private SseEvent dispatch() {
        String payload = hasData ? data.substring(0, data.length() - 1) : "";
        SseEvent result = new SseEvent(Optional.ofNullable(id), Optional.ofNullable(event).filter(e -> !e.isEmpty()),
                payload, Optional.ofNullable(retry));
        data.setLength(0);
        if (data.capacity() > KEPT_DATA_CHARS) {
            data = new StringBuilder();
        }
        if (line.length > KEPT_LINE_BYTES) {
            line = new byte[LINE_BYTES];
        }
        hasData = false;
        id = null;
        event = null;
        retry = null;
        eventBytes = 0;
        return result;
    }

    /** Reads one line into {@code line}; false at the end of the stream (a partial last line is dropped). */
    private boolean readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return false;
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return true;
            }
            if (b == '\r') {
                skipLineFeed = true;
                return true;
            }
            append(b);
        }
    }

    private void append(byte b) throws EventTooLargeException {
        if (eventBytes + lineLength + 1 > maxEventBytes) {
            throw new EventTooLargeException(maxEventBytes);
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, LINE_BYTES), maxEventBytes + 1));
        }
        line[lineLength++] = b;
    }

    private boolean fill() throws IOException {
        if (buffer.length == 0) {
            buffer = new byte[READ_SIZE];
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        if (!started) {
            started = true;
            if (n >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
                position = 3;
            }
        }
        return true;
    }
}
