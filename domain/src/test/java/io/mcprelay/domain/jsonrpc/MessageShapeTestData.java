package io.mcprelay.domain.jsonrpc;

import io.mcprelay.domain.jsonrpc.MessageShape.ErrorObject;
import io.mcprelay.domain.jsonrpc.MessageShape.IdToken;
import io.mcprelay.domain.jsonrpc.MessageShape.Member;
import java.util.Optional;

/** Builds the {@link MessageShape} a decoder would report; defaults to a {@code tools/list} request with id 1. */
final class MessageShapeTestData {

    private Optional<String> jsonrpc = Optional.of("2.0");
    private IdToken id = new IdToken.Present(new RequestId.NumericId("1"));
    private Member method = Member.string("tools/list");
    private boolean hasResult;
    private boolean hasError;
    private Optional<ErrorObject> error = Optional.empty();
    private McpFacts facts = McpFacts.NONE;

    private MessageShapeTestData() {
    }

    /** A request {@code {"jsonrpc":"2.0","id":1,"method":"tools/list"}}. */
    static MessageShapeTestData aRequest() {
        return new MessageShapeTestData();
    }

    static MessageShapeTestData aNotification() {
        return new MessageShapeTestData().withoutId().withMethod("notifications/initialized");
    }

    static MessageShapeTestData aResult() {
        return new MessageShapeTestData().withoutMethod().withResult();
    }

    static MessageShapeTestData anError(int code, String message) {
        return new MessageShapeTestData().withoutMethod().withError(code, message);
    }

    MessageShapeTestData withJsonrpc(String value) {
        jsonrpc = Optional.of(value);
        return this;
    }

    MessageShapeTestData withoutJsonrpc() {
        jsonrpc = Optional.empty();
        return this;
    }

    MessageShapeTestData withId(RequestId value) {
        id = new IdToken.Present(value);
        return this;
    }

    MessageShapeTestData withNullId() {
        id = new IdToken.Null();
        return this;
    }

    MessageShapeTestData withoutId() {
        id = new IdToken.Absent();
        return this;
    }

    MessageShapeTestData withIdOfType(String jsonType) {
        id = new IdToken.WrongType(jsonType);
        return this;
    }

    MessageShapeTestData withMethod(String name) {
        method = Member.string(name);
        return this;
    }

    MessageShapeTestData withMethodNotAString() {
        method = Member.notAString();
        return this;
    }

    MessageShapeTestData withoutMethod() {
        method = Member.absent();
        return this;
    }

    MessageShapeTestData withResult() {
        hasResult = true;
        return this;
    }

    MessageShapeTestData withError(int code, String message) {
        hasError = true;
        error = Optional.of(new ErrorObject(code, message));
        return this;
    }

    MessageShapeTestData withMalformedError() {
        hasError = true;
        error = Optional.empty();
        return this;
    }

    MessageShapeTestData withFacts(McpFacts value) {
        facts = value;
        return this;
    }

    MessageShape build() {
        return new MessageShape(jsonrpc, id, method, hasResult, hasError, error, facts);
    }

    Classification classify() {
        return JsonRpcClassifier.classify(build());
    }
}
