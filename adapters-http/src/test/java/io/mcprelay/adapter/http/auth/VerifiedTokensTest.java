package io.mcprelay.adapter.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.auth.Principal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private final AtomicLong now = new AtomicLong();
    private final VerifiedTokens tokens = new VerifiedTokens(Duration.ofMinutes(5), 3, now::get);
    private final Principal alice = Principal.of("alice", Set.of("mcp"));

    @Test
    void aVerifiedTokenIsKnownUntilItExpiresOrTheTtlPasses() {
        tokens.remember("short", alice, Duration.ofSeconds(30));
        tokens.remember("long", alice, Duration.ofHours(1));

        assertThat(tokens.find("short")).contains(alice);
        assertThat(tokens.find("other")).isEmpty();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(tokens.find("short")).as("expired").isEmpty();
        assertThat(tokens.find("long")).contains(alice);
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(tokens.find("long")).as("past the TTL").isEmpty();
    }

    @Test
    void anAlreadyExpiredTokenIsNotRememberedAndTheCacheIsBounded() {
        tokens.remember("gone", alice, Duration.ofSeconds(-1));
        assertThat(tokens.find("gone")).isEmpty();

        for (int i = 0; i < 10; i++) {
            tokens.remember("t" + i, alice, Duration.ofMinutes(1));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(3);
        assertThat(tokens.find("t9")).contains(alice);
    }
}
