package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {

    @Test
    void headersAreFoundIgnoringCase() {
        HttpAnswer.Headers headers = new HttpAnswer.Headers(Map.of("Content-Type", "application/json"));

        assertThat(headers.get("content-type")).contains("application/json");
        assertThat(headers.get("CONTENT-TYPE")).contains("application/json");
        assertThat(headers.values()).containsOnlyKeys("content-type");
    }

    @Test
    void lowerCaseNamesAreKeptAsGivenAndAnImmutableMapIsNotCopied() {
        Map<String, String> lower = Map.of("content-type", "application/json", "mcp-session-id", "s-1");
        Map<String, String> mutable = new java.util.HashMap<>(lower);

        assertThat(new HttpAnswer.Headers(lower).values()).isSameAs(lower);
        HttpAnswer.Headers copied = new HttpAnswer.Headers(mutable);
        mutable.put("x-later", "1");
        assertThat(copied.values()).isEqualTo(lower);
    }

    @Test
    void namesWithUpperCaseOrNonAsciiLettersAreLowered() {
        assertThat(new HttpAnswer.Headers(Map.of("x-Ä", "1")).values()).containsOnlyKeys("x-ä");
        assertThat(new HttpAnswer.Headers(Map.of("x-a", "1", "X-B", "2")).values()).containsOnlyKeys("x-a", "x-b");
    }

    @Test
    void repeatedHeadersAreJoined() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("Mcp-X", "a");
        raw.put("mcp-x", "b");

        assertThat(new HttpAnswer.Headers(raw).get("mcp-x")).hasValueSatisfying(v -> assertThat(v).isIn("a, b", "b, a"));
    }

    @Test
    void readsTheUpstreamSessionIdWhenValid() {
        assertThat(new HttpAnswer.Headers(Map.of("MCP-Session-Id", " abc ")).sessionId()).contains(new UpstreamSessionId("abc"));
        assertThat(new HttpAnswer.Headers(Map.of("Mcp-Session-Id", "a b")).sessionId()).isEmpty();
        assertThat(new HttpAnswer.Headers(Map.of("Mcp-Session-Id", "")).sessionId()).isEmpty();
        assertThat(HttpAnswer.Headers.NONE.sessionId()).isEmpty();
    }

    @Test
    void closingAPassthroughClosesItsBody() {
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                throw new IOException("already gone");
            }
        };

        new HttpAnswer.Passthrough(200, HttpAnswer.Headers.NONE, "text/plain", body).close();

        assertThat(closed).isTrue();
    }
}
