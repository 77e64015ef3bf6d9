package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.RateLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How rate limits are written in the file, the environment and on the command line, and what a bad one says. */
class LimitSettingsTest {

    @Test
    void readsRatesWithAndWithoutABurst() {
        assertThat(LimitSettings.rate("x", "20/1s")).isEqualTo(RateLimit.of(20, Duration.ofSeconds(1)));
        assertThat(LimitSettings.rate("x", " 600/1m,burst=50 ")).isEqualTo(new RateLimit(600, Duration.ofMinutes(1), 50));
        assertThat(LimitSettings.rate("x", "5/s")).isEqualTo(RateLimit.of(5, Duration.ofSeconds(1)));
        assertThat(LimitSettings.rate("x", "3/500ms")).isEqualTo(RateLimit.of(3, Duration.ofMillis(500)));
        assertThat(LimitSettings.tool("x", "search=5/1s")).isEqualTo(Map.entry("search", RateLimit.of(5, Duration.ofSeconds(1))));
        assertThat(LimitSettings.tool("x", "a=b=5/1s")).as("the last = before the rate splits").isEqualTo(
                Map.entry("a=b", RateLimit.of(5, Duration.ofSeconds(1))));
        assertThat(LimitSettings.outage("x", "Closed")).isEqualTo(OutagePolicy.CLOSED);
    }

    @Test
    void aBadRateSaysWhereAndWhy() {
        assertThatThrownBy(() -> LimitSettings.rate("limits.global", "20")).hasMessageStartingWith("limits.global: expected a rate N/PERIOD");
        assertThatThrownBy(() -> LimitSettings.rate("x", "many/1s")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> LimitSettings.rate("x", "5/fortnight")).hasMessageContaining("not a period");
        assertThatThrownBy(() -> LimitSettings.rate("x", "5/1s,size=3")).hasMessageContaining("only ,burst=M");
        assertThatThrownBy(() -> LimitSettings.rate("x", "5/1s,burst=x")).hasMessageContaining("burst");
        assertThatThrownBy(() -> LimitSettings.rate("x", "0/1s")).hasMessageStartingWith("x: a rate limit refills 1 to");
        assertThatThrownBy(() -> LimitSettings.tool("x", "5/1s")).hasMessageContaining("TOOL=RATE");
        assertThatThrownBy(() -> LimitSettings.tool("x", " =5/1s")).hasMessageContaining("TOOL=RATE");
        assertThatThrownBy(() -> LimitSettings.outage("x", "maybe")).hasMessageContaining("open or closed");
    }

    @Test
    void theCommandLineSetsEveryLimitAndPrintConfigShowsThem() throws Exception {
        Configuration c = Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp", "--limit-per-principal", "20/1s",
                "--limit-tool", "search=5/1s", "--limit-tool", "write=1/1m,burst=2", "--limit-global", "1000/1s",
                "--limit-store-outage", "closed", "--limit-redis-url", "redis://:hunter2pass@limits.test:6379/0"), Map.of());
        LimitOptions limits = c.options().fairness().limits();

        assertThat(limits.rates()).isEqualTo(new RateLimits(Optional.of(RateLimit.of(20, Duration.ofSeconds(1))),
                Map.of("search", RateLimit.of(5, Duration.ofSeconds(1)), "write", new RateLimit(1, Duration.ofMinutes(1), 2)),
                Optional.of(RateLimit.of(1000, Duration.ofSeconds(1))), OutagePolicy.CLOSED));
        assertThat(limits.redisUrl()).contains(URI.create("redis://:hunter2pass@limits.test:6379/0"));
        String printed = ConfigPrinter.yaml(c);
        assertThat(printed).contains("perPrincipal: \"20/1s\"").contains("- \"search=5/1s\"").contains("- \"write=1/1m,burst=2\"")
                .contains("onStoreOutage: \"closed\"").contains("redisUrl: \"redis://:********@limits.test").doesNotContain("hunter2pass");
    }

    @Test
    void theEnvironmentTakesAListOfToolLimitsAndOffIsTheDefault() throws Exception {
        Configuration c = Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp"),
                Map.of("MCP_RELAY_LIMIT_TOOL", "search=5/1s,fetch=2/1s"));
        assertThat(c.options().fairness().limits().rates().perTool()).containsOnlyKeys("search", "fetch");

        Configuration none = Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp"), Map.of());
        assertThat(none.options().fairness().limits()).isEqualTo(LimitOptions.OFF);
    }

    @Test
    void aBadLimitIsAConfigurationProblem() {
        assertThatThrownBy(() -> Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp", "--limit-global", "lots"),
                Map.of())).hasMessageContaining("--limit-global").hasMessageContaining("expected a rate");
        assertThat(List.of("--limit-per-principal", "--limit-tool", "--limit-global", "--limit-store-outage", "--limit-redis-url"))
                .allSatisfy(flag -> assertThat(Settings.isOption(flag)).isTrue());
    }
}
