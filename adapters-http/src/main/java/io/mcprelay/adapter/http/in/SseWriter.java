package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Formats events and comments as {@code text/event-stream} bytes. */
final class SseWriter {

    /**
     * Line breaks of the event-stream format. Compiled once: {@code String.split} with this regex
     * compiled it again for every relayed event (see the JMH benchmarks, docs/benchmarks.md).
     */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private SseWriter() {
    }

    static byte[] event(SseEvent event) {
        StringBuilder out = new StringBuilder(event.data().length() + 32);
        event.id().ifPresent(id -> out.append("id: ").append(id).append('\n'));
        event.event().ifPresent(type -> out.append("event: ").append(type).append('\n'));
        event.retryMillis().ifPresent(retry -> out.append("retry: ").append(retry).append('\n'));
        for (String line : lines(event.data())) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment: ignored by clients, keeps intermediaries and dead-peer detection busy. */
    static byte[] comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (String line : lines(text)) {
            out.append(':').append(line.isEmpty() ? "" : " " + line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The lines of {@code text}; most data (one line of JSON) has no break and needs no regex. */
    private static String[] lines(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? new String[] {text} : LINE_BREAK.split(text, -1);
    }
}
