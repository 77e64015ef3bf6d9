package io.mcprelay.adapter.stdio;

import java.nio.charset.StandardCharsets;

/** Test helper: a line as the process would write it, parsed. */
final class Wire {

    private Wire() {
    }

    static WireMessage of(String json) {
        return switch (WireMessage.read(json.getBytes(StandardCharsets.UTF_8))) {
            case WireMessage.Parsed p -> p.message();
            case WireMessage.Garbage g -> throw new IllegalArgumentException(g.reason());
        };
    }

    static String text(WireMessage m) {
        return new String(m.bytes(), StandardCharsets.UTF_8);
    }
}
