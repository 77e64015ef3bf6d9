package io.mcprelay.bootstrap;

import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.RateLimits;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The documented example configuration loads and means what its comments say, and the documentation
 * names every key, flag and variable: so neither can rot.
 */
class SampleConfigTest {

    private static final Path ROOT = Path.of(System.getProperty("mcprelay.projectRoot", ".."));
    private static final Path SAMPLE = ROOT.resolve("docs/mcp-relay.example.yaml");

    @Test
    void theExampleConfigurationLoadsIntoTheOptionsItDescribes() throws Exception {
        Configuration c = Configuration.resolve(CommandLine.parse("--config", SAMPLE.toString()), Map.of());
        RelayOptions o = c.options();

        assertThat(UpstreamSettings.upstreamSpecs(o)).extracting(UpstreamSpec::name, UpstreamSpec::weight, UpstreamSpec::enabled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("everything", 3, true), org.assertj.core.groups.Tuple.tuple("spare", 1, false),
                        org.assertj.core.groups.Tuple.tuple("files", 1, true));
        assertThat(o.upstreams().get(2).transport()).isEqualTo(new io.mcprelay.domain.routing.UpstreamTransport.Stdio("npx",
                List.of("-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/srv/shared"),
                Map.of("NODE_OPTIONS", "--max-old-space-size=256"), java.util.Optional.of("/srv")));
        assertThat(o.upstreamPolicies().stdioMaxProcesses()).isEqualTo(64);
        assertThat(o.upstreamPolicies().strategy()).isEqualTo(SelectionStrategy.WEIGHTED_ROUND_ROBIN);
        assertThat(o.upstreamPolicies().health().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.upstreamPolicies().breaker().openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.sessionTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(o.streams().disconnectGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.replayLog().maxBytes()).isEqualTo(4L << 20);
        assertThat(o.store()).isEqualTo(StoreOptions.memory());
        assertThat(o.admin().port()).contains(9090);
        assertThat(o.admin().token()).isEmpty();
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(o.auth().enabled()).as("auth is off while its issuer is null").isFalse();
        assertThat(o.auth().clockSkew()).isEqualTo(Duration.ofSeconds(60));
        RateLimits limits = o.fairness().limits().rates();
        assertThat(limits.perPrincipal()).contains(new RateLimit(600, Duration.ofMinutes(1), 50));
        assertThat(limits.perTool()).containsExactly(java.util.Map.entry("search", RateLimit.of(5, Duration.ofSeconds(1))));
        assertThat(limits.global()).isEmpty();
        assertThat(limits.onOutage()).isEqualTo(OutagePolicy.OPEN);
        assertThat(o.fairness().limits().redisUrl()).isEmpty();

        List<InterceptRule> rules = o.rules().rules();
        assertThat(rules).extracting(InterceptRule::name)
                .containsExactly("no-deletes", "hide-admin-tools", "canned-weather", "redact-passwords", "slow-down-search");
        assertThat(rules.get(0).match().directions()).containsExactly(Direction.REQUEST);
        assertThat(rules.get(0).match().tool()).hasValueSatisfying(g -> assertThat(g.matches("delete_user")).isTrue());
        assertThat(rules.get(0).action()).isEqualTo(new RuleAction.Block(-32003, "Deleting is not allowed through this gateway"));
        assertThat(rules.get(1).action()).isInstanceOfSatisfying(RuleAction.HideTools.class,
                h -> assertThat(List.of(h.hides("admin_reset"), h.hides("debug"), h.hides("echo"))).containsExactly(true, true, false));
        assertThat(rules.get(2).action()).isEqualTo(new RuleAction.Mock("{\"content\":[{\"type\":\"text\",\"text\":\"Sunny, 21 °C\"}]}"));
        assertThat(rules.get(3).action()).isEqualTo(new RuleAction.Redact("/params/arguments/password", "\"[REDACTED]\""));
        assertThat(rules.get(4).action()).isEqualTo(new RuleAction.Delay(Duration.ofMillis(250)));
    }

    @Test
    void theExampleSetsEveryKey() throws Exception {
        String printed = ConfigPrinter.yaml(Configuration.resolve(CommandLine.parse("--config", SAMPLE.toString()), Map.of()));
        String sample = Files.readString(SAMPLE);

        for (ConfigKeys.Key key : ConfigKeys.ALL) {
            String leaf = key.path().substring(key.path().lastIndexOf('.') + 1);
            assertThat(sample).as("the example shows %s", key.path()).contains(leaf + ":");
            assertThat(printed).contains(leaf + ":");
        }
    }

    @Test
    void everyOptionHasAKeyAndEveryKeyAFlag() {
        Set<String> flagsWithKeys = new HashSet<>(ConfigKeys.ALL.stream().map(ConfigKeys.Key::flag).toList());
        flagsWithKeys.addAll(List.of("--upstream", "--weight", "--upstream-era"));    // the upstreams list
        Set<String> options = new HashSet<>(Settings.VALUED);
        options.addAll(Settings.SWITCHES);

        assertThat(flagsWithKeys).isEqualTo(options);
        assertThat(options).allSatisfy(flag -> assertThat(CommandLine.USAGE).contains(flag + " "));
    }

    @Test
    void theDocumentationNamesEveryKeyFlagAndVariable() throws Exception {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));

        for (String path : ConfigKeys.allPaths()) {
            assertThat(docs).as("docs/configuration.md documents %s", path).contains("`" + path + "`");
        }
        for (ConfigKeys.Key key : ConfigKeys.ALL) {
            assertThat(docs).contains("`" + key.flag()).contains("`MCP_RELAY_" + key.flag().substring(2).toUpperCase().replace('-', '_') + "`");
        }
        assertThat(docs).contains("`--config").contains("`--print-config`").contains("`MCP_RELAY_CONFIG`").contains("SIGHUP")
                .contains("mcp-relay.example.yaml");
    }
}
