package io.mcprelay.adapter.stdio;

import io.mcprelay.domain.jsonrpc.Classification;
import io.mcprelay.domain.jsonrpc.JsonRpcClassifier;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.MessageShape;
import io.mcprelay.domain.jsonrpc.MessageShape.IdToken;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One JSON-RPC message as it crosses a process's stdin or stdout: the exact bytes (forwarded
 * unchanged), the message as the domain classifies it, and the progress token that ties it to a
 * request ({@code params._meta.progressToken} of a request, {@code params.progressToken} of a
 * {@code notifications/progress}).
 */
record WireMessage(byte[] bytes, JsonRpcMessage message, Optional<String> progressToken) {

    static final String PROGRESS = "notifications/progress";

    WireMessage {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(progressToken, "progressToken");
    }

    /** What a line turned out to be. */
    sealed interface Read {
    }

    record Parsed(WireMessage message) implements Read {
    }

    /** Not UTF-8, not JSON, or JSON that is no single JSON-RPC message. */
    record Garbage(String reason) implements Read {
    }

    /** Reads one line (without its line break). */
    static Read read(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return new Garbage("not UTF-8");
        }
        Object tree;
        try {
            tree = LineJson.parse(text);
        } catch (LineJson.NotJson e) {
            return new Garbage("not JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> object)) {
            return new Garbage("not a JSON-RPC message (a JSON " + typeOf(tree) + ", not an object)");
        }
        return switch (JsonRpcClassifier.classify(shape(object))) {
            case Classification.Valid valid -> new Parsed(new WireMessage(line, valid.message(), progressToken(object, valid.message())));
            case Classification.Invalid invalid -> new Garbage("not a JSON-RPC message: " + invalid.reason());
        };
    }

    private static MessageShape shape(Map<?, ?> object) {
        Optional<String> jsonrpc = object.get("jsonrpc") instanceof String s ? Optional.of(s) : Optional.empty();
        IdToken id = idToken(object);
        MessageShape.Member method;
        if (!object.containsKey("method")) {
            method = MessageShape.Member.absent();
        } else if (object.get("method") instanceof String m) {
            method = MessageShape.Member.string(m);
        } else {
            method = MessageShape.Member.notAString();
        }
        Optional<MessageShape.ErrorObject> error = Optional.empty();
        if (object.get("error") instanceof Map<?, ?> e
                && e.get("code") instanceof LineJson.Number code && e.get("message") instanceof String message) {
            try {
                error = Optional.of(new MessageShape.ErrorObject(Integer.parseInt(code.literal()), message));
            } catch (NumberFormatException notAnInt) {
                error = Optional.empty();
            }
        }
        Optional<String> protocolVersion = object.get("result") instanceof Map<?, ?> result
                && result.get("protocolVersion") instanceof String v ? Optional.of(v) : Optional.empty();
        McpFacts facts = new McpFacts(protocolVersion, Optional.empty(), Optional.empty(), Optional.empty());
        return new MessageShape(jsonrpc, id, method, object.containsKey("result"), object.containsKey("error"), error, facts);
    }

    private static IdToken idToken(Map<?, ?> object) {
        if (!object.containsKey("id")) {
            return new IdToken.Absent();
        }
        Object id = object.get("id");
        if (id == LineJson.NULL) {
            return new IdToken.Null();
        }
        if (id instanceof String s) {
            return new IdToken.Present(new RequestId.StringId(s));
        }
        if (id instanceof LineJson.Number n) {
            return new IdToken.Present(new RequestId.NumericId(n.literal()));
        }
        return new IdToken.WrongType(typeOf(id));
    }

    private static Optional<String> progressToken(Map<?, ?> object, JsonRpcMessage message) {
        if (!(object.get("params") instanceof Map<?, ?> params)) {
            return Optional.empty();
        }
        Object token = switch (message) {
            case JsonRpcMessage.Notification n when PROGRESS.equals(n.method()) -> params.get("progressToken");
            case JsonRpcMessage.Request r -> params.get("_meta") instanceof Map<?, ?> meta ? meta.get("progressToken") : null;
            default -> null;
        };
        return tokenKey(token);
    }

    /** A token's key: {@code "s:"} + a string token, {@code "n:"} + a number's literal (1 and "1" differ). */
    static Optional<String> tokenKey(Object token) {
        if (token instanceof String s) {
            return Optional.of("s:" + s);
        }
        if (token instanceof LineJson.Number n) {
            return Optional.of("n:" + n.literal());
        }
        return Optional.empty();
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "object";
            case java.util.List<?> l -> "array";
            case String s -> "string";
            case LineJson.Number n -> "number";
            case Boolean b -> "boolean";
            default -> "null";
        };
    }
}
