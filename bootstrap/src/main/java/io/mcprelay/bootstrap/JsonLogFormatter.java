package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.in.AccessLogLine;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.util.Map;
import java.util.logging.Level;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Structured logs: one JSON object per line, {@code ts}, {@code level} (in the words log pipelines
 * expect: {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG}, {@code TRACE}, not
 * java.util.logging's {@code SEVERE} or {@code FINE}), {@code logger}, {@code msg},
 * and, for records about a session, a stream or an upstream (whose messages start with
 * {@code session {0}}, {@code stream {0}} or {@code upstream {0}}, the convention of every such log
 * call in mcp-relay), a {@code session}, {@code stream} or {@code upstream} field with its name, so a
 * log pipeline can follow one session across instances. An access-log record ({@link AccessLogLine})
 * adds each of its fields. Requests' headers and bodies are never logged, so credentials never
 * reach the log.
 */
final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(160).append('{');
        field(out, "ts", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(out, "level", levelName(record.getLevel())).append(',');
        field(out, "logger", record.getLoggerName() == null ? "" : record.getLoggerName()).append(',');
        String raw = record.getMessage() == null ? "" : record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && params[0] != null) {
            if (raw.startsWith("session {0}")) {
                field(out, "session", String.valueOf(params[0])).append(',');
            } else if (raw.startsWith("stream {0}")) {
                field(out, "stream", String.valueOf(params[0])).append(',');
            } else if (raw.startsWith("upstream {0}")) {
                field(out, "upstream", String.valueOf(params[0])).append(',');
            }
        }
        field(out, "msg", formatMessage(record));
        if (params != null && params.length == 1 && params[0] instanceof AccessLogLine line) {
            for (Map.Entry<String, Object> entry : line.fields().entrySet()) {
                out.append(',');
                if (entry.getValue() instanceof Number number) {
                    out.append('"').append(entry.getKey()).append("\":").append(number);
                } else {
                    field(out, entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
        }
        if (record.getThrown() != null) {
            out.append(',');
            field(out, "error", record.getThrown().toString());
        }
        return out.append("}\n").toString();
    }

    /** The level as log pipelines name it. */
    static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.CONFIG.intValue()) {
            return "INFO";
        }
        if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append('"').append(name).append("\":").append(new RequestId.StringId(value).toJson());
    }
}
