package io.mcprelay.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UpstreamResponseTest {

    @Test
    void headersAreFoundIgnoringCase() {
        UpstreamResponse.Headers headers = new UpstreamResponse.Headers(Map.of("Content-Type", "application/json"));

        assertThat(headers.get("content-type")).contains("application/json");
        assertThat(headers.get("CONTENT-TYPE")).contains("application/json");
        assertThat(headers.values()).containsOnlyKeys("content-type");
    }

    @Test
    void lowerCaseNamesAreKeptAsGivenAndAnImmutableMapIsNotCopied() {
        Map<String, String> lower = Map.of("content-type", "application/json", "mcp-session-id", "s-1");
        Map<String, String> mutable = new java.util.HashMap<>(lower);

        assertThat(new UpstreamResponse.Headers(lower).values()).isSameAs(lower);
        UpstreamResponse.Headers copied = new UpstreamResponse.Headers(mutable);
        mutable.put("x-later", "1");
        assertThat(copied.values()).isEqualTo(lower);
    }

    @Test
    void namesWithUpperCaseOrNonAsciiLettersAreLowered() {
        assertThat(new UpstreamResponse.Headers(Map.of("x-Ä", "1")).values()).containsOnlyKeys("x-ä");
        assertThat(new UpstreamResponse.Headers(Map.of("x-a", "1", "X-B", "2")).values()).containsOnlyKeys("x-a", "x-b");
    }

    @Test
    void repeatedHeadersAreJoined() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("Mcp-X", "a");
        raw.put("mcp-x", "b");

        assertThat(new UpstreamResponse.Headers(raw).get("mcp-x")).hasValueSatisfying(v -> assertThat(v).isIn("a, b", "b, a"));
    }

    @Test
    void readsTheUpstreamSessionIdWhenValid() {
        assertThat(new UpstreamResponse.Headers(Map.of("MCP-Session-Id", " abc ")).sessionId()).contains(new UpstreamSessionId("abc"));
        assertThat(new UpstreamResponse.Headers(Map.of("Mcp-Session-Id", "a b")).sessionId()).isEmpty();
        assertThat(new UpstreamResponse.Headers(Map.of("Mcp-Session-Id", "")).sessionId()).isEmpty();
        assertThat(UpstreamResponse.Headers.NONE.sessionId()).isEmpty();
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

        new UpstreamResponse.Passthrough(200, UpstreamResponse.Headers.NONE, "text/plain", body).close();

        assertThat(closed).isTrue();
    }
}
