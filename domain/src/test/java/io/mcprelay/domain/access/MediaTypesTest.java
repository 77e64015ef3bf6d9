package io.mcprelay.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json, text/event-stream", "text/event-stream,application/json", "*/*",
            "application/*, text/*", "Application/JSON, TEXT/EVENT-STREAM", "application/json;q=0.9, text/event-stream;q=0.1",
            "application/json; charset=utf-8 , text/event-stream ; q=1", "text/html, */*;q=0.8"})
    void acceptsBothMcpMediaTypes(String accept) {
        assertThat(MediaTypes.accepts(accept, MediaTypes.JSON)).isTrue();
        assertThat(MediaTypes.accepts(accept, MediaTypes.EVENT_STREAM)).isTrue();
    }

    @Test
    void missingMediaTypeIsNotAccepted() {
        assertThat(MediaTypes.accepts("application/json", MediaTypes.EVENT_STREAM)).isFalse();
        assertThat(MediaTypes.accepts("text/event-stream", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("text/*", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("application/jsonx, application/json-seq", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts(null, MediaTypes.JSON)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json;q=0", "application/json; q=0.0", "application/json;Q=0.000", "*/*;q=0"})
    void qualityZeroCountsAsRefusal(String accept) {
        assertThat(MediaTypes.accepts(accept, MediaTypes.JSON)).isFalse();
    }

    @Test
    void positiveQualityAccepts() {
        assertThat(MediaTypes.accepts("application/json;q=0.001", MediaTypes.JSON)).isTrue();
    }

    @Test
    void refusedTypeDoesNotHideAnotherRangeThatAccepts() {
        assertThat(MediaTypes.accepts("*/*;q=0, application/json", MediaTypes.JSON)).isTrue();
    }

    @Test
    void mostSpecificRangeDecides() {
        assertThat(MediaTypes.accepts("application/json;q=0, */*", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("text/event-stream;q=0, text/*", MediaTypes.EVENT_STREAM)).isFalse();
        assertThat(MediaTypes.accepts("text/*;q=0, */*", MediaTypes.EVENT_STREAM)).isFalse();
        assertThat(MediaTypes.accepts("text/*;q=0, text/event-stream", MediaTypes.EVENT_STREAM)).isTrue();
    }

    @Test
    void readsRangesInAnyCaseWithSpacesAndSeveralParameters() {
        assertThat(MediaTypes.accepts(" Application/JSON ; charset=utf-8 ; q=0.5 ,TEXT/Event-Stream", MediaTypes.JSON)).isTrue();
        assertThat(MediaTypes.accepts(" Application/JSON ; charset=utf-8 ; Q=0 ,TEXT/Event-Stream", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("application/json;level=1;q=0", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("TEXT/*", MediaTypes.EVENT_STREAM)).isTrue();
        assertThat(MediaTypes.accepts("application/json,,", MediaTypes.JSON)).isTrue();
        assertThat(MediaTypes.accepts(",;,", MediaTypes.JSON)).isFalse();
    }

    @Test
    void onlyAsciiLettersMatchInAnyCase() {
        // U+0131 (dotless i) upper-cases to I, but is not an i
        assertThat(MediaTypes.accepts("appl\u0131cation/json", MediaTypes.JSON)).isFalse();
        assertThat(MediaTypes.accepts("application/j\u017Fon", MediaTypes.JSON)).isFalse();
    }

    @Test
    void unparseableQualityIsIgnored() {
        assertThat(MediaTypes.accepts("application/json;q=abc", MediaTypes.JSON)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON;charset=UTF-8", " application/json "})
    void recognisesJsonWithParameters(String contentType) {
        assertThat(MediaTypes.isJson(contentType)).isTrue();
        assertThat(MediaTypes.isEventStream(contentType)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/jsonx", "application/json-rpc", "text/json", ""})
    void refusesOtherContentTypesAsJson(String contentType) {
        assertThat(MediaTypes.isJson(contentType)).isFalse();
    }

    @Test
    void missingContentTypeIsNeither() {
        assertThat(MediaTypes.isJson(null)).isFalse();
        assertThat(MediaTypes.isEventStream(null)).isFalse();
    }

    @Test
    void recognisesEventStreamWithParameters() {
        assertThat(MediaTypes.isEventStream("text/event-stream")).isTrue();
        assertThat(MediaTypes.isEventStream("Text/Event-Stream; charset=utf-8")).isTrue();
        assertThat(MediaTypes.isEventStream("text/event-streams")).isFalse();
    }
}
