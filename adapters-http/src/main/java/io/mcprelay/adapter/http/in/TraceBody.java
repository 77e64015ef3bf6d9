package io.mcprelay.adapter.http.in;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.application.port.out.trace.TraceContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a POSTed body tells the request's server span, read only while tracing is on: the span's name
 * (the JSON-RPC method, and the tool of a {@code tools/call}) and the trace context MCP carries in
 * {@code params._meta} ({@code traceparent}, {@code tracestate}, {@code baggage}), and the protocol
 * version a 2026-07-28 request claims there (which decides its era, body first). Anything else
 * (a batch, a response, a body that is not JSON) gives nothing; the use case judges the body.
 */
record TraceBody(Optional<String> spanName, TraceContext meta, Optional<String> protocolVersion) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final TraceBody NOTHING = new TraceBody(Optional.empty(), TraceContext.NONE, Optional.empty());
    /** Where a 2026-07-28 request claims its protocol version. */
    private static final String VERSION_CLAIM = "io.modelcontextprotocol/protocolVersion";

    static TraceBody read(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            return NOTHING;
        }
        if (root == null || !root.isObject() || !root.path("method").isTextual()) {
            return NOTHING;
        }
        String method = root.get("method").asText();
        JsonNode params = root.path("params");
        JsonNode tool = params.path("name");
        String name = method.equals("tools/call") && tool.isTextual() ? method + " " + tool.asText() : method;
        Map<String, String> context = new HashMap<>();
        JsonNode meta = params.path("_meta");
        for (String field : TraceContext.NAMES) {
            JsonNode value = meta.path(field);
            if (value.isTextual()) {
                context.put(field, value.asText());
            }
        }
        JsonNode version = meta.path(VERSION_CLAIM);
        return new TraceBody(Optional.of(name), TraceContext.of(context), version.isTextual() ? Optional.of(version.asText()) : Optional.empty());
    }
}
