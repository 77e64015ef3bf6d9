package io.mcprelay.adapter.http.in;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The access log: one line per request to the MCP endpoint, once it is answered (a stream: once it
 * ended, with its events and duration), on the logger {@value #LOGGER} at INFO. The line is an
 * {@link AccessLogLine}, which the JSON log format writes as fields of their own and the text
 * format as one plain line. Successful requests are sampled (a percentage); refused and failed
 * ones (status 400 and above, or a refusal) are always logged.
 */
public final class AccessLog implements RequestObserver {

    /** The logger's name, so that it can be routed or silenced on its own. */
    public static final String LOGGER = "mcp-relay.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final int samplePercent;
    private final java.util.function.Consumer<AccessLogLine> sink;

    /** @param samplePercent the share (1-100) of successful requests logged */
    public AccessLog(int samplePercent) {
        this(samplePercent, line -> {
            if (LOG.isLoggable(System.Logger.Level.INFO)) {
                LOG.log(System.Logger.Level.INFO, "{0}", line);
            }
        });
    }

    /** As {@link #AccessLog(int)}, giving each line to {@code sink} instead of the logger. */
    AccessLog(int samplePercent, java.util.function.Consumer<AccessLogLine> sink) {
        if (samplePercent < 1 || samplePercent > 100) {
            throw new IllegalArgumentException("samplePercent: 1..100, not " + samplePercent);
        }
        this.samplePercent = samplePercent;
        this.sink = sink;
    }

    @Override
    public void completed(RequestRecord record) {
        if (logged(record)) {
            sink.accept(line(record));
        }
    }

    private boolean logged(RequestRecord record) {
        boolean failed = record.status() >= 400 || record.refusal().isPresent();
        return failed || samplePercent == 100 || ThreadLocalRandom.current().nextInt(100) < samplePercent;
    }

    /** The line for {@code record}: its fields in a fixed order, absent ones left out. */
    static AccessLogLine line(RequestRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("client", record.client());
        fields.put("http_method", record.httpMethod());
        record.rpcMethod().ifPresent(m -> fields.put("rpc_method", m));
        record.sessionId().ifPresent(s -> fields.put("session", s));
        record.upstream().ifPresent(u -> fields.put("upstream", u));
        fields.put("status", record.status());
        record.outcome().filter(o -> !o.equals("ok")).ifPresent(o -> fields.put("outcome", o));
        record.refusal().ifPresent(r -> fields.put("refusal", r));
        fields.put("bytes", record.bytes());
        fields.put("duration_ms", record.duration().toMillis());
        if (record.streamed()) {
            fields.put("events", record.events());
        }
        record.requestId().ifPresent(id -> fields.put("request_id", id));
        record.traceId().ifPresent(id -> fields.put("trace_id", id));
        return new AccessLogLine(fields);
    }
}
