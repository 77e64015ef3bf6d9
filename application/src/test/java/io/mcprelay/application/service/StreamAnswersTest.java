package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.SimpleJsonCodec;
import io.mcprelay.domain.jsonrpc.RequestId;
import org.junit.jupiter.api.Test;

class StreamAnswersTest {

    private final SimpleJsonCodec codec = new SimpleJsonCodec();

    @Test
    void aNotificationIsNotDecodedAtAll() {
        String progress = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":7,\"progress\":3}}";

        assertThat(StreamAnswers.answeredBy(codec, progress)).isEmpty();
        assertThat(codec.decodeCount()).as("no member can make it a response: not decoded").isZero();
    }

    @Test
    void responsesAndErrorsAnswerTheirRequests() {
        assertThat(StreamAnswers.answeredBy(codec, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"))
                .containsExactly(new RequestId.NumericId("7"));
        assertThat(StreamAnswers.answeredBy(codec, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32603,\"message\":\"x\"}}"))
                .containsExactly(new RequestId.StringId("a"));
        assertThat(StreamAnswers.answeredBy(codec, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}]"))
                .containsExactly(new RequestId.NumericId("1"), new RequestId.NumericId("2"));
    }

    @Test
    void aMemberNameSpelledWithEscapesIsStillSeen() {
        // legal JSON: "\u0072esult" is "result"; the quick check must not skip it
        String escaped = "{\"jsonrpc\":\"2.0\",\"id\":9,\"\\u0072esult\":{}}";

        assertThat(StreamAnswers.mayAnswer(escaped)).isTrue();
        assertThat(StreamAnswers.answeredBy(codec, escaped)).containsExactly(new RequestId.NumericId("9"));
    }

    @Test
    void aNotificationWithAMemberNamedResultIsDecodedAndStillAnswersNothing() {
        String log = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"result\":\"near\"}}";

        assertThat(StreamAnswers.mayAnswer(log)).isTrue();
        assertThat(StreamAnswers.answeredBy(codec, log)).isEmpty();
    }

    @Test
    void textThatIsNotJsonAnswersNothing() {
        assertThat(StreamAnswers.answeredBy(codec, "\"result\" but not JSON {")).isEmpty();
        assertThat(StreamAnswers.answeredBy(codec, "plain text")).isEmpty();
    }
}
