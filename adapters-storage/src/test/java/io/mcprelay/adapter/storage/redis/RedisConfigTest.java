package io.mcprelay.adapter.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

    private static final URI LOCAL = URI.create("redis://127.0.0.1:6380/0");

    @Test
    void defaultsAreTwoSecondTimeoutsAndTheMcpRelayPrefix() {
        RedisConfig config = RedisConfig.defaults(LOCAL);

        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.keyPrefix()).isEqualTo("mcp-relay");
    }

    @Test
    void acceptsTlsAndSentinelUrls() {
        for (String url : new String[] {"rediss://cache.example:6380", "redis-sentinel://s1:26379,s2:26379/0#mymaster",
                "redis://:secret@cache.example:6379/2"}) {
            assertThat(RedisConfig.defaults(URI.create(url)).url()).hasToString(url);
        }
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> RedisConfig.defaults(URI.create("http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> RedisConfig.defaults(LOCAL).withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("commandTimeout:");
        assertThatThrownBy(() -> RedisConfig.defaults(LOCAL).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("connectTimeout:");
        for (String prefix : new String[] {"", "a{b}", "with space", "glob*", "x".repeat(65)}) {
            assertThatThrownBy(() -> RedisConfig.defaults(LOCAL).withKeyPrefix(prefix))
                    .as("prefix '%s'", prefix)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyPrefix:");
        }
        assertThatThrownBy(() -> new RedisConfig(null, Duration.ofSeconds(1), Duration.ofSeconds(1), "p"))
                .isInstanceOf(NullPointerException.class).hasMessage("url");
    }

    @Test
    void neverShowsThePassword() {
        RedisConfig config = RedisConfig.defaults(URI.create("redis://user:s3cret@cache.example:6379/0"));

        assertThat(config.toString()).doesNotContain("s3cret").contains("redis://***@cache.example:6379/0");
        assertThat(config.safeUrl()).doesNotContain("s3cret");
        assertThatThrownBy(() -> RedisConfig.defaults(URI.create("https://user:s3cret@x")))
                .hasMessageNotContaining("s3cret");
    }
}
