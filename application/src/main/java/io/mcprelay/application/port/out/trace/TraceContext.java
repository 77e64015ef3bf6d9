package io.mcprelay.application.port.out.trace;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * W3C trace context as it crosses a process boundary: the {@code traceparent}, {@code tracestate}
 * and {@code baggage} fields (HTTP headers, or members of an MCP message's {@code params._meta}),
 * names in lower case. Only these three names are kept; values are bounded so that a hostile client
 * cannot make the relay carry large strings upstream.
 *
 * @param fields the fields present, by lower-case name
 */
public record TraceContext(Map<String, String> fields) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String BAGGAGE = "baggage";
    /** The names of the trace-context fields, lower case. */
    public static final Set<String> NAMES = Set.of(TRACEPARENT, TRACESTATE, BAGGAGE);
    /** Longest value kept (the W3C limits: tracestate 32 members of at most 256 bytes, baggage 8,192 bytes). */
    public static final int MAX_VALUE_LENGTH = 8192;

    public static final TraceContext NONE = new TraceContext(Map.of());

    public TraceContext {
        Map<String, String> kept = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (NAMES.contains(n) && value != null && !value.isBlank() && value.length() <= MAX_VALUE_LENGTH) {
                kept.put(n, value);
            }
        });
        fields = Map.copyOf(kept);
    }

    /** The trace-context fields among {@code values} (e.g. a request's headers), names compared case-insensitively. */
    public static TraceContext of(Map<String, String> values) {
        return new TraceContext(values);
    }

    public Optional<String> traceparent() {
        return Optional.ofNullable(fields.get(TRACEPARENT));
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * {@code values} with their trace-context fields (any case) replaced by this context's: what a
     * message carries on once a span of its own stands between the client and the upstream.
     */
    public Map<String, String> replaceIn(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (!NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, value);
            }
        });
        out.putAll(fields);
        return out;
    }
}
