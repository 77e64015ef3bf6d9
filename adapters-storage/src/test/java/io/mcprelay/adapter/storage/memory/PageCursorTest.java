package io.mcprelay.adapter.storage.memory;

import static io.mcprelay.adapter.storage.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void decodesWhatItEncodesEvenWhenTheIdHoldsTheSeparator() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-04T05:06:07.123456789Z"), new ProxySessionId("a|b|c"));

        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void encodesToUrlSafeText() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-04T05:06:07Z"), new ProxySessionId("~~~???>>>"));

        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void precedesSessionsCreatedLaterOrAtTheSameInstantWithAGreaterId() {
        Instant t = Instant.parse("2026-03-04T05:06:07Z");
        PageCursor cursor = new PageCursor(t, new ProxySessionId("m"));

        assertThat(cursor.precedes(session("a", t.plusNanos(1)))).isTrue();
        assertThat(cursor.precedes(session("n", t))).isTrue();
        assertThat(cursor.precedes(session("m", t))).isFalse();
        assertThat(cursor.precedes(session("z", t.minusNanos(1)))).isFalse();
    }

    @Test
    void rejectsWellEncodedTextOfTheWrongShape() {
        for (String plain : List.of("v2|1|0|id", "v1|1|0", "v1|x|0|id", "v1|1|1000000000|id", "v1|1|-1|id",
                "v1|99999999999999999|0|id", "v1|1|0|has space")) {
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> PageCursor.decode(text))
                    .as(plain)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid session list cursor: not one this store issued");
        }
    }

    private static Session session(String id, Instant createdAt) {
        return aSession(id).createdAt(createdAt).lastSeenAt(createdAt).build();
    }
}
