package io.mcprelay.bootstrap;

import io.mcprelay.domain.jsonrpc.RequestId;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Structured logs: one JSON object per line, {@code ts}, {@code level}, {@code logger}, {@code msg},
 * and, for records about a session or a stream (whose messages start with {@code session {0}} or
 * {@code stream {0}}, the convention of every such log call in mcp-relay), a {@code session} or
 * {@code stream} field with its id, so a log pipeline can follow one session across instances.
 * Requests' headers and bodies are never logged, so credentials never reach the log.
 */
final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(160).append('{');
        field(out, "ts", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(out, "level", record.getLevel().getName()).append(',');
        field(out, "logger", record.getLoggerName() == null ? "" : record.getLoggerName()).append(',');
        String raw = record.getMessage() == null ? "" : record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && params[0] != null) {
            if (raw.startsWith("session {0}")) {
                field(out, "session", String.valueOf(params[0])).append(',');
            } else if (raw.startsWith("stream {0}")) {
                field(out, "stream", String.valueOf(params[0])).append(',');
            }
        }
        field(out, "msg", formatMessage(record));
        if (record.getThrown() != null) {
            out.append(',');
            field(out, "error", record.getThrown().toString());
        }
        return out.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append('"').append(name).append("\":").append(new RequestId.StringId(value).toJson());
    }
}
