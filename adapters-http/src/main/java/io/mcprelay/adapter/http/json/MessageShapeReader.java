package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.MessageShape;
import io.mcprelay.domain.jsonrpc.MessageShape.IdToken;
import io.mcprelay.domain.jsonrpc.MessageShape.Member;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.io.IOException;
import java.util.Optional;

/** Reads one JSON object, positioned on its START_OBJECT, into the {@link MessageShape} the domain classifies. */
final class MessageShapeReader {

    private Optional<String> jsonrpc = Optional.empty();
    private IdToken id = new IdToken.Absent();
    private Member method = Member.absent();
    private boolean hasResult;
    private boolean hasError;
    private Optional<MessageShape.ErrorObject> error = Optional.empty();
    private final FactsReader params = new FactsReader();
    private final FactsReader result = new FactsReader();

    private MessageShapeReader() {
    }

    static MessageShape read(JsonParser parser) throws IOException {
        MessageShapeReader reader = new MessageShapeReader();
        reader.readObject(parser);
        return reader.shape();
    }

    private void readObject(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "jsonrpc" -> jsonrpc = value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : skip(parser, Optional.empty());
                case "id" -> id = readId(parser, value);
                case "method" -> method = value == JsonToken.VALUE_STRING ? Member.string(parser.getText()) : skip(parser, Member.notAString());
                case "params" -> params.read(parser, value);
                case "result" -> {
                    hasResult = true;
                    result.read(parser, value);
                }
                case "error" -> {
                    hasError = true;
                    error = ErrorObjectReader.read(parser, value);
                }
                default -> parser.skipChildren();
            }
        }
    }

    private static IdToken readId(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> new IdToken.Present(new RequestId.StringId(parser.getText()));
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new IdToken.Present(new RequestId.NumericId(parser.getText()));
            case VALUE_NULL -> new IdToken.Null();
            case START_OBJECT, START_ARRAY -> skip(parser, new IdToken.WrongType(value == JsonToken.START_OBJECT ? "an object" : "an array"));
            default -> new IdToken.WrongType("a boolean");
        };
    }

    private MessageShape shape() {
        String methodName = method.text().orElse("");
        boolean initialize = JsonRpcMessage.INITIALIZE.equals(methodName);
        McpFacts facts = new McpFacts(
                initialize ? params.protocolVersion() : result.protocolVersion(),
                initialize ? params.clientName() : Optional.empty(),
                initialize ? params.clientVersion() : Optional.empty(),
                "tools/call".equals(methodName) ? params.name() : Optional.empty(),
                params.metaVersion(),
                McpFacts.routedNameMember(methodName).flatMap(member -> switch (member) {
                    case "uri" -> params.uri();
                    case "taskId" -> params.taskId();
                    default -> params.name();
                }),
                result.supportedVersions());
        return new MessageShape(jsonrpc, id, method, hasResult, hasError, error, facts);
    }

    static <T> T skip(JsonParser parser, T result) throws IOException {
        parser.skipChildren();
        return result;
    }
}
