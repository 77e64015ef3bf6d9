package io.mcprelay.adapter.http.in;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One access-log line: named fields in a fixed order. The JSON log format writes each as a field
 * of its own ({@link #fields()}); the text format writes {@link #toString()}: the client, the HTTP
 * and JSON-RPC methods and the status first, then {@code name=value} for the rest.
 */
public record AccessLogLine(Map<String, Object> fields) {

    public AccessLogLine {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(120);
        line.append(fields.getOrDefault("client", "-")).append(' ').append(fields.getOrDefault("http_method", "-"))
                .append(' ').append(fields.getOrDefault("rpc_method", "-")).append(' ').append(fields.getOrDefault("status", "-"));
        line.append(fields.entrySet().stream()
                .filter(e -> !Map.of("client", 1, "http_method", 1, "rpc_method", 1, "status", 1).containsKey(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ", " ", "")));
        return line.toString();
    }
}
