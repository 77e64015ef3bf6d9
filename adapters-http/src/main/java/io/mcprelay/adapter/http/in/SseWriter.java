package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;

/** Formats events and comments as {@code text/event-stream} bytes. */
final class SseWriter {

    private SseWriter() {
    }

    static byte[] event(SseEvent event) {
        StringBuilder out = new StringBuilder(event.data().length() + 32);
        event.id().ifPresent(id -> out.append("id: ").append(id).append('\n'));
        event.event().ifPresent(type -> out.append("event: ").append(type).append('\n'));
        event.retryMillis().ifPresent(retry -> out.append("retry: ").append(retry).append('\n'));
        for (String line : event.data().split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment: ignored by clients, keeps intermediaries and dead-peer detection busy. */
    static byte[] comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (String line : text.split("\r\n|\r|\n", -1)) {
            out.append(':').append(line.isEmpty() ? "" : " " + line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
