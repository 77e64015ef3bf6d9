package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults < configuration file < environment < command line, for single values, lists and switches. */
class ConfigurationPrecedenceTest {

    private static final String FILE = """
            upstreams:
              - {name: a, url: http://a.test/mcp, weight: 5}
              - {name: b, url: http://b.test/mcp, enabled: false}
            listen:
              port: 9000
              allowedOrigins: [https://file.example]
            sessions:
              ttl: 10m
            upstreamPolicy:
              forwardCredentials: true
            log:
              format: json
            interceptors:
              rules:
                - {name: no-deletes, match: {tool: "delete_*"}, action: block}
            """;

    @TempDir
    Path dir;

    private Configuration resolve(Map<String, String> env, String... args) throws Exception {
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, FILE);
        String[] withConfig = new String[args.length + 2];
        withConfig[0] = "--config";
        withConfig[1] = file.toString();
        System.arraycopy(args, 0, withConfig, 2, args.length);
        return Configuration.resolve(CommandLine.parse(withConfig), env);
    }

    @Test
    void theFileOverridesTheDefaultsAndUnsetKeysKeepThem() throws Exception {
        Configuration c = resolve(Map.of());

        assertThat(c.options().port()).isEqualTo(9000);
        assertThat(c.options().sessionTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.options().allowedOrigins()).containsExactly("https://file.example");
        assertThat(c.options().forwardCredentials()).isTrue();
        assertThat(c.logFormat()).isEqualTo("json");
        assertThat(c.options().upstreams()).extracting(UpstreamTarget::name).containsExactly("a", "b");
        assertThat(c.options().upstreamPolicies().weights()).containsExactly(Map.entry("a", 5));
        assertThat(c.options().upstreamPolicies().disabled()).containsExactly("b");
        assertThat(c.options().rules().rules()).singleElement().satisfies(rule -> {
            assertThat(rule.name()).isEqualTo("no-deletes");
            assertThat(rule.action()).isEqualTo(new RuleAction.Block(RuleAction.Block.DEFAULT_CODE, RuleAction.Block.DEFAULT_MESSAGE));
        });
        assertThat(c.options().bind()).as("a default").isEqualTo("127.0.0.1");
        assertThat(c.options().maxSessions()).as("a default").isEqualTo(RelayOptions.DEFAULT_MAX_SESSIONS);
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        Configuration c = resolve(Map.of("MCP_RELAY_PORT", "9001", "MCP_RELAY_SESSION_TTL", "2m",
                "MCP_RELAY_FORWARD_CREDENTIALS", "false", "MCP_RELAY_LOG_FORMAT", "text"));

        assertThat(c.options().port()).isEqualTo(9001);
        assertThat(c.options().sessionTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.options().forwardCredentials()).as("an explicit false in the environment wins").isFalse();
        assertThat(c.logFormat()).isEqualTo("text");
    }

    @Test
    void aFlagOverridesTheEnvironmentAndTheFile() throws Exception {
        Configuration c = resolve(Map.of("MCP_RELAY_PORT", "9001"), "--port", "9002", "--session-ttl=45s");

        assertThat(c.options().port()).isEqualTo(9002);
        assertThat(c.options().sessionTtl()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void theUpstreamClientIsTheBuiltInOneUnlessAnyLayerChoosesHelidon() throws Exception {
        assertThat(resolve(Map.of()).options().upstreamPolicies().client()).isEqualTo(UpstreamOptions.Client.SOCKET);
        assertThat(resolve(Map.of("MCP_RELAY_UPSTREAM_CLIENT", "Helidon")).options().upstreamPolicies().client())
                .isEqualTo(UpstreamOptions.Client.HELIDON);
        assertThat(resolve(Map.of("MCP_RELAY_UPSTREAM_CLIENT", "helidon"), "--upstream-client", "socket").options()
                .upstreamPolicies().client()).isEqualTo(UpstreamOptions.Client.SOCKET);

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> resolve(Map.of(), "--upstream-client", "netty"));
        assertThat(bad).hasMessageContaining("--upstream-client: socket or helidon, not \"netty\"");
    }

    @Test
    void theLimitsOnUpstreamAnswersHaveDefaultsAndComeFromAnyLayer() throws Exception {
        assertThat(resolve(Map.of()).options().upstreamPolicies()).satisfies(p -> {
            assertThat(p.headTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.maxJsonBytes()).isEqualTo(16 << 20);
        });
        assertThat(resolve(Map.of("MCP_RELAY_UPSTREAM_HEAD_TIMEOUT", "5s"), "--upstream-max-json-bytes", "1000").options()
                .upstreamPolicies()).satisfies(p -> {
                    assertThat(p.headTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.maxJsonBytes()).isEqualTo(1000);
                });

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> resolve(Map.of(), "--upstream-head-timeout", "0s"));
        assertThat(bad).hasMessageContaining("--upstream-head-timeout: must be positive");
    }

    @Test
    void theRedisNearCacheIsOnUnlessTurnedOff() throws Exception {
        assertThat(resolve(Map.of()).options().store().nearCache()).isTrue();
        assertThat(resolve(Map.of("MCP_RELAY_REDIS_NEAR_CACHE", "false")).options().store().nearCache()).isFalse();
        assertThat(resolve(Map.of("MCP_RELAY_REDIS_NEAR_CACHE", "false"), "--redis-near-cache", "true").options().store().nearCache())
                .isTrue();

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> resolve(Map.of(), "--redis-near-cache", "maybe"));
        assertThat(bad).hasMessageContaining("--redis-near-cache: true or false, not \"maybe\"");
    }

    @Test
    void aListFromAHigherLayerReplacesTheWholeListBelowAndTheFilesWeightsAndEnabledFlagsGoWithIt() throws Exception {
        Configuration fromEnv = resolve(Map.of("MCP_RELAY_UPSTREAM", "x=http://x.test/mcp,y=http://y.test/mcp",
                "MCP_RELAY_ALLOWED_ORIGIN", "https://env.example"));
        Configuration fromFlag = resolve(Map.of("MCP_RELAY_UPSTREAM", "x=http://x.test/mcp"), "--upstream", "b=http://other.test/mcp");

        assertThat(fromEnv.options().upstreams()).extracting(UpstreamTarget::name).containsExactly("x", "y");
        assertThat(fromEnv.options().upstreamPolicies().weights()).isEmpty();
        assertThat(fromEnv.options().allowedOrigins()).containsExactly("https://env.example");
        assertThat(fromFlag.options().upstreams()).extracting(UpstreamTarget::name).containsExactly("b");
        assertThat(fromFlag.options().upstreamPolicies().disabled()).as("b of the file is not this b").isEmpty();
    }

    @Test
    void aBadValueInTheFileIsReportedEvenWhereTheEnvironmentOverridesIt() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "upstreams: [{name: a, url: http://a.test/mcp}]\nlisten:\n  port: -1\n");

        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> Configuration.resolve(CommandLine.parse("--config", file.toString()), Map.of("MCP_RELAY_PORT", "9001")));

        assertThat(refused.problems()).containsExactly("listen.port: must be between 0 and 65535, not -1");
    }

    @Test
    void problemsInEveryLayerAreReportedTogetherEachNamingItsOrigin() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "upstreams: [{name: a, url: http://a.test/mcp}]\nreplay:\n  maxBytes: 0\n");

        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> Configuration.resolve(
                CommandLine.parse("--config", file.toString(), "--heartbeat-interval", "soon"), Map.of("MCP_RELAY_MAX_SESSIONS", "-3")));

        assertThat(refused.problems()).containsExactly(
                "replay.maxBytes: must be between 1 and 2147483646, not 0",
                "MCP_RELAY_MAX_SESSIONS: must be between 1 and 2147483646, not -3",
                "--heartbeat-interval: not a duration (500ms, 30s, 5m, 1h, 2d or ISO-8601): \"soon\"");
    }

    @Test
    void theFileIsNamedByTheFlagOrElseByTheEnvironment() throws Exception {
        Path byEnv = dir.resolve("env.yaml");
        Path byFlag = dir.resolve("flag.yaml");
        Files.writeString(byEnv, "upstreams: [{name: env, url: http://a.test/mcp}]\n");
        Files.writeString(byFlag, "upstreams: [{name: flag, url: http://a.test/mcp}]\n");

        Configuration env = Configuration.resolve(CommandLine.parse(), Map.of("MCP_RELAY_CONFIG", byEnv.toString()));
        Configuration flag = Configuration.resolve(CommandLine.parse("--config", byFlag.toString()),
                Map.of("MCP_RELAY_CONFIG", byEnv.toString()));

        assertThat(env.options().upstreams()).extracting(UpstreamTarget::name).containsExactly("env");
        assertThat(flag.options().upstreams()).extracting(UpstreamTarget::name).containsExactly("flag");
    }

    @Test
    void withoutAFileTheFlagsAloneStillWorkAsBefore() throws Exception {
        Configuration c = Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp", "--weight", "upstream-1=4",
                "--forward-credentials"), Map.of());

        assertThat(c.options().upstreams()).containsExactly(new UpstreamTarget("upstream-1", java.net.URI.create("http://a.test/mcp")));
        assertThat(c.options().upstreamPolicies().weights()).containsExactly(Map.entry("upstream-1", 4));
        assertThat(c.options().forwardCredentials()).isTrue();
    }

    @Test
    void theBridgeToLegacyUpstreamsIsOffUnlessTheFlagTheEnvironmentOrTheFileTurnsItOn() throws Exception {
        assertThat(Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp"), Map.of()).options().upstreamPolicies()
                .bridgeLegacy()).isFalse();
        assertThat(Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp", "--bridge-legacy"), Map.of()).options()
                .upstreamPolicies().bridgeLegacy()).isTrue();
        assertThat(Configuration.resolve(CommandLine.parse("--upstream", "http://a.test/mcp"), Map.of("MCP_RELAY_BRIDGE_LEGACY", "true"))
                .options().upstreamPolicies().bridgeLegacy()).isTrue();
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, "upstreams:\n  - {name: a, url: http://a.test/mcp, era: legacy}\nupstreamPolicy:\n  bridgeLegacy: true\n");
        assertThat(Configuration.resolve(CommandLine.parse("--config", file.toString()), Map.of()).options().upstreamPolicies()
                .bridgeLegacy()).isTrue();
    }

    @Test
    void upstreamErasComeFromTheFileOrTheFlagAndReachTheCatalogsSpecs() throws Exception {
        Path file = dir.resolve("eras.yaml");
        Files.writeString(file, "upstreams:\n  - {name: a, url: http://a.test/mcp, era: modern}\n  - {name: b, url: http://b.test/mcp}\n");
        Configuration fromFile = Configuration.resolve(CommandLine.parse("--config", file.toString()), Map.of());
        assertThat(UpstreamSettings.upstreamSpecs(fromFile.options())).extracting(io.mcprelay.domain.routing.UpstreamSpec::era)
                .containsExactly(io.mcprelay.domain.era.UpstreamEra.MODERN, io.mcprelay.domain.era.UpstreamEra.AUTO);

        Configuration fromFlag = Configuration.resolve(CommandLine.parse("--upstream", "x=http://x.test/mcp", "--upstream-era", "x=Dual"), Map.of());
        assertThat(fromFlag.options().upstreamPolicies().eras()).containsExactly(Map.entry("x", io.mcprelay.domain.era.UpstreamEra.DUAL));

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> Configuration.resolve(
                CommandLine.parse("--upstream", "x=http://x.test/mcp", "--upstream-era", "y=modern"), Map.of()));
        assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("no upstream is named \"y\""));
        ConfigException word = catchThrowableOfType(ConfigException.class, () -> Configuration.resolve(
                CommandLine.parse("--upstream", "x=http://x.test/mcp", "--upstream-era", "x=new"), Map.of()));
        assertThat(word.problems()).anySatisfy(p -> assertThat(p).contains("one of auto, legacy, modern, dual"));
    }

    @Test
    void anUnknownFlagIsRefusedByNameAndAnUnknownVariableOnlyWarnedAbout() {
        ConfigException flag = catchThrowableOfType(ConfigException.class, () -> CommandLine.parse("--prot", "1"));

        assertThat(flag.problems()).containsExactly("--prot: unknown option (see --help)");
        assertThat(CommandLine.environment(Map.of("MCP_RELAY_PROT", "1"))).isEmpty();
        assertThat(EnvironmentNames.warning(Map.of("MCP_RELAY_PROT", "1"))).contains(
                "ignoring environment variables that are not settings of mcp-relay (see --help): MCP_RELAY_PROT (did you mean \"MCP_RELAY_PORT\"?)");
    }

    @Test
    void theFairnessSettingsComeFromEveryLayer() throws Exception {
        Configuration defaults = resolve(Map.of());
        Configuration set = resolve(Map.of("MCP_RELAY_SESSION_MAX_STREAMS", "2", "MCP_RELAY_ADMIN_LOGIN_TTL", "1h"),
                "--upstream-max-streams", "9", "--session-max-requests", "3", "--max-sessions-per-client", "5");

        assertThat(defaults.options().fairness()).isEqualTo(FairnessOptions.defaults());
        assertThat(defaults.options().admin().loginTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(set.options().fairness()).isEqualTo(new FairnessOptions(9, new io.mcprelay.domain.session.SessionShare(3, 2),
                new io.mcprelay.domain.session.ClientQuota(5)));
        assertThat(set.options().admin().loginTtl()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> resolve(Map.of(), "--session-max-requests", "0")).hasMessageContaining("--session-max-requests");
    }
}
