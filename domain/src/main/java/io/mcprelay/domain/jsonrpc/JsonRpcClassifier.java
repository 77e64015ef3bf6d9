package io.mcprelay.domain.jsonrpc;

import io.mcprelay.domain.jsonrpc.MessageShape.IdToken;
import java.util.Optional;

/**
 * The JSON-RPC 2.0 rules, as MCP narrows them: {@code "jsonrpc": "2.0"} is required; a message
 * with a string {@code method} is a request when it has an id and a notification when it has none;
 * a message without a method is a response with exactly one of {@code result} or {@code error}.
 * Request ids must be strings or numbers, never null (MCP forbids null request ids); an error
 * response may carry a null id.
 */
public final class JsonRpcClassifier {

    private JsonRpcClassifier() {
    }

    public static Classification classify(MessageShape shape) {
        if (shape.jsonrpc().isEmpty() || !"2.0".equals(shape.jsonrpc().get())) {
            return new Classification.Invalid("\"jsonrpc\" must be \"2.0\"");
        }
        if (shape.id() instanceof IdToken.WrongType wrong) {
            return new Classification.Invalid("\"id\" must be a string or a number, not " + wrong.jsonType());
        }
        if (shape.method().present()) {
            return classifyCall(shape);
        }
        return classifyResponse(shape);
    }

    private static Classification classifyCall(MessageShape shape) {
        Optional<String> method = shape.method().text();
        if (method.isEmpty()) {
            return new Classification.Invalid("\"method\" must be a string");
        }
        if (shape.hasResult() || shape.hasError()) {
            return new Classification.Invalid("a message with \"method\" must not carry \"result\" or \"error\"");
        }
        return switch (shape.id()) {
            case IdToken.Absent absent -> new Classification.Valid(new JsonRpcMessage.Notification(method.get(), shape.facts()));
            case IdToken.Present present -> new Classification.Valid(new JsonRpcMessage.Request(present.value(), method.get(), shape.facts()));
            case IdToken.Null nul -> new Classification.Invalid("a request \"id\" must not be null");
            case IdToken.WrongType wrong -> throw new IllegalStateException("handled above");
        };
    }

    private static Classification classifyResponse(MessageShape shape) {
        if (shape.hasResult() == shape.hasError()) {
            return new Classification.Invalid(
                    "a message needs \"method\", or exactly one of \"result\" and \"error\"");
        }
        if (shape.hasResult()) {
            if (shape.id() instanceof IdToken.Present present) {
                return new Classification.Valid(new JsonRpcMessage.Response(present.value(), shape.facts()));
            }
            return new Classification.Invalid("a result must carry the \"id\" of its request");
        }
        if (shape.error().isEmpty()) {
            return new Classification.Invalid("\"error\" must be an object with an integer \"code\" and a string \"message\"");
        }
        Optional<RequestId> id = switch (shape.id()) {
            case IdToken.Present present -> Optional.of(present.value());
            case IdToken.Null nul -> Optional.empty();
            case IdToken.Absent absent -> Optional.empty();
            case IdToken.WrongType wrong -> throw new IllegalStateException("handled above");
        };
        if (shape.id() instanceof IdToken.Absent) {
            return new Classification.Invalid("an error response must carry \"id\" (null when unknown)");
        }
        MessageShape.ErrorObject error = shape.error().get();
        return new Classification.Valid(new JsonRpcMessage.ErrorResponse(id, error.code(), error.message()));
    }
}
