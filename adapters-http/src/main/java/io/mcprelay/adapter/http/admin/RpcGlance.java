package io.mcprelay.adapter.http.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * A JSON-RPC message's method and id, read with a streaming parser that skips everything else (params
 * and results are never built as trees) and stops once it has both: what the console lists, cheap
 * enough for every relayed message. At most the first {@value #MAX_GLANCE} characters are read: a
 * method or id that comes only after a larger member is not seen (the message then reads as
 * {@code response} without an id).
 *
 * @param method the method; {@code response} for a response, {@code batch} for an array, {@code (empty)} for
 *               no data (an SSE priming event), {@code invalid} for anything else unreadable
 * @param id     the id as text, if the message has one
 */
record RpcGlance(String method, Optional<String> id) {

    /** Characters (or bytes) of a message read at most. */
    static final int MAX_GLANCE = 64 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    static RpcGlance of(byte[] body) {
        try (JsonParser parser = JSON.createParser(body, 0, Math.min(body.length, MAX_GLANCE))) {
            return read(parser, body.length > MAX_GLANCE);
        } catch (IOException e) {
            return new RpcGlance("invalid", Optional.empty());
        }
    }

    static RpcGlance of(String data) {
        if (data.isBlank()) {
            return new RpcGlance("(empty)", Optional.empty());
        }
        try (JsonParser parser = JSON.createParser(data.length() > MAX_GLANCE ? data.substring(0, MAX_GLANCE) : data)) {
            return read(parser, data.length() > MAX_GLANCE);
        } catch (IOException e) {
            return new RpcGlance("invalid", Optional.empty());
        }
    }

    /** Reads top-level members until both method and id are found; a cut message's end is no error. */
    private static RpcGlance read(JsonParser parser, boolean cut) throws IOException {
        JsonToken first;
        try {
            first = parser.nextToken();
        } catch (IOException e) {
            return new RpcGlance("invalid", Optional.empty());
        }
        if (first == JsonToken.START_ARRAY) {
            return new RpcGlance("batch", Optional.empty());
        }
        if (first != JsonToken.START_OBJECT) {
            return new RpcGlance("invalid", Optional.empty());
        }
        String method = null;
        String id = null;
        try {
            while ((method == null || id == null) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("method".equals(field) && value == JsonToken.VALUE_STRING) {
                    method = parser.getText();
                } else if ("id".equals(field) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    id = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            if (!cut) {
                return new RpcGlance("invalid", Optional.empty());
            }
        }
        return new RpcGlance(method != null ? method : "response", Optional.ofNullable(id));
    }
}
