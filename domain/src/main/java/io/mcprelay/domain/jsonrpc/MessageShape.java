package io.mcprelay.domain.jsonrpc;

import java.util.Objects;
import java.util.Optional;

/**
 * What a decoder saw in one JSON object, before any rule is applied: the raw material that
 * {@link JsonRpcClassifier} turns into a {@link JsonRpcMessage} or a reason it is not one.
 *
 * @param jsonrpc      the value of the {@code jsonrpc} member if it was a string
 * @param id           the {@code id} member, by kind
 * @param method       the {@code method} member if present ({@link Member#absent()} otherwise)
 * @param hasResult    whether a {@code result} member is present
 * @param error        the {@code error} member if present and well-formed; {@code hasError} tells
 *                     whether one was present at all
 * @param hasError     whether an {@code error} member is present
 * @param facts        MCP facts found in {@code params} or {@code result}
 */
public record MessageShape(
        Optional<String> jsonrpc,
        IdToken id,
        Member method,
        boolean hasResult,
        boolean hasError,
        Optional<ErrorObject> error,
        McpFacts facts) {

    public MessageShape {
        Objects.requireNonNull(jsonrpc, "jsonrpc");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(facts, "facts");
    }

    /** The {@code id} member as the decoder found it. */
    public sealed interface IdToken {
        record Absent() implements IdToken {}

        record Null() implements IdToken {}

        record Present(RequestId value) implements IdToken {}

        /** A member of a type JSON-RPC forbids for ids (object, array, boolean). */
        record WrongType(String jsonType) implements IdToken {}
    }

    /** A member that must be a string: absent, a string, or something else. */
    public record Member(boolean present, Optional<String> text) {
        public static Member absent() {
            return new Member(false, Optional.empty());
        }

        public static Member string(String value) {
            return new Member(true, Optional.of(value));
        }

        public static Member notAString() {
            return new Member(true, Optional.empty());
        }
    }

    /** A well-formed JSON-RPC error object. */
    public record ErrorObject(int code, String message) {
        public ErrorObject {
            Objects.requireNonNull(message, "message");
        }
    }
}
