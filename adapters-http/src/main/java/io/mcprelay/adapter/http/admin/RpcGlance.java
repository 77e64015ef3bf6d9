package io.mcprelay.adapter.http.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * A JSON-RPC message's method and id, read with a streaming parser that skips everything else (params
 * and results are never built as trees): what the console lists, cheap enough for every relayed message.
 *
 * @param method the method; {@code response} for a response, {@code batch} for an array, {@code (empty)} for
 *               no data (an SSE priming event), {@code invalid} for anything else unreadable
 * @param id     the id as text, if the message has one
 */
record RpcGlance(String method, Optional<String> id) {

    private static final JsonFactory JSON = new JsonFactory();

    static RpcGlance of(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            return read(parser);
        } catch (IOException | RuntimeException e) {
            return new RpcGlance("invalid", Optional.empty());
        }
    }

    static RpcGlance of(String data) {
        if (data.isBlank()) {
            return new RpcGlance("(empty)", Optional.empty());
        }
        try (JsonParser parser = JSON.createParser(data)) {
            return read(parser);
        } catch (IOException | RuntimeException e) {
            return new RpcGlance("invalid", Optional.empty());
        }
    }

    private static RpcGlance read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_ARRAY) {
            return new RpcGlance("batch", Optional.empty());
        }
        if (first != JsonToken.START_OBJECT) {
            return new RpcGlance("invalid", Optional.empty());
        }
        String method = null;
        String id = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
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
        return new RpcGlance(method != null ? method : "response", Optional.ofNullable(id));
    }
}
