package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mcprelay.domain.jsonrpc.MessageShape;
import java.io.IOException;
import java.util.Optional;

/** Reads a JSON-RPC {@code error} member: well-formed when it is an object with an integer code and a string message. */
final class ErrorObjectReader {

    private ErrorObjectReader() {
    }

    static Optional<MessageShape.ErrorObject> read(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return Optional.empty();
        }
        Integer code = null;
        String message = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (field.equals("code") && token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                code = parser.getIntValue();
            } else if (field.equals("message") && token == JsonToken.VALUE_STRING) {
                message = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return code != null && message != null ? Optional.of(new MessageShape.ErrorObject(code, message)) : Optional.empty();
    }
}
