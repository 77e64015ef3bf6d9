package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

    private static final String TOKEN = "admin-token-0123456789";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T04:00:00Z"));
    private final AdminAccess access = new AdminAccess(TOKEN, Duration.ofMinutes(10), now::get);

    @Test
    void handlesAreRandomAndNotTheToken() {
        String one = access.issueHandle();
        String two = access.issueHandle();

        assertThat(one).isNotEqualTo(two).isNotEqualTo(TOKEN).hasSize(43);
        assertThat(access.validHandle(one)).isTrue();
        assertThat(access.validHandle(two)).isTrue();
        assertThat(access.validHandle(TOKEN)).isFalse();
        assertThat(access.cookieFor(one)).isEqualTo("mcp_relay_admin=" + one + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=600");
    }

    @Test
    void aHandleExpiresAndIsForgotten() {
        String handle = access.issueHandle();
        now.set(now.get().plus(Duration.ofMinutes(10)).minusMillis(1));
        assertThat(access.validHandle(handle)).isTrue();

        now.set(now.get().plusMillis(1));

        assertThat(access.validHandle(handle)).isFalse();
        assertThat(access.handlesHeld()).isZero();
    }

    @Test
    void theMapIsBoundedAndTheOldestLoginGoesFirst() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < AdminAccess.MAX_HANDLES + 5; i++) {
            issued.add(access.issueHandle());
        }

        assertThat(access.handlesHeld()).isEqualTo(AdminAccess.MAX_HANDLES);
        assertThat(access.validHandle(issued.get(0))).isFalse();
        assertThat(access.validHandle(issued.get(4))).isFalse();
        assertThat(access.validHandle(issued.get(5))).isTrue();
        assertThat(access.validHandle(issued.getLast())).isTrue();
    }

    @Test
    void expiredHandlesAreDroppedWhenANewOneIsIssued() {
        access.issueHandle();
        access.issueHandle();
        now.set(now.get().plus(Duration.ofHours(1)));

        access.issueHandle();

        assertThat(access.handlesHeld()).isEqualTo(1);
    }

    @Test
    void refusesShortTokensAndEmptyLifetimes() {
        assertThatThrownBy(() -> new AdminAccess("short", Duration.ofMinutes(1), now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdminAccess(TOKEN, Duration.ZERO, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
