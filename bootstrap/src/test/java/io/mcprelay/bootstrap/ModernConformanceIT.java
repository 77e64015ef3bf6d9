package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.bootstrap.e2e.ConformanceRun;
import io.mcprelay.bootstrap.e2e.ConformanceSuite;
import io.mcprelay.bootstrap.e2e.EraServer;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite's 2026-07-28 line ({@code @modelcontextprotocol/conformance} 0.2.0-alpha.12,
 * pinned in e2e/package.json under an alias beside the 2025 line {@link ConformanceIT} runs): the server
 * scenarios that revision requires ({@code --requirements 2026-07-28}), run three times:
 * <ol>
 *   <li>directly against the v2 SDK test server serving only 2026-07-28 ({@code e2e/era/v2-server.mjs});</li>
 *   <li>through mcp-relay in front of another instance of it (the era dispatch, docs/eras.md): <b>every check
 *       that passes direct passes through the relay</b>;</li>
 *   <li>through mcp-relay with {@code --bridge-legacy} in front of {@code server-everything}, a 2025-era-only
 *       server that cannot take a 2026-07-28 request at all: the scenarios {@link #BRIDGED_PASSES} name pass.</li>
 * </ol>
 * The test server has only four tools, so most tool, resource and prompt scenarios fail direct (they need the
 * suite's own test server); what matters is the comparison. Outputs in {@code bootstrap/target/conformance-2026}.
 */
class ModernConformanceIT {

    private static final Logger LOG = Logger.getLogger(ModernConformanceIT.class.getName());
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Scenarios the bridge passes in front of server-everything (which fails every one of them direct: it speaks
     * no 2026-07-28): discover, tools, resources and prompts lists, the results' {@code resultType} and cache
     * fields, routing-header validation, the error mapping of a missing resource, the Origin check.
     */
    static final List<String> BRIDGED_PASSES = List.of("tools-list", "tools-call-simple-text", "tools-call-error", "resources-list",
            "prompts-list", "caching", "sep-2164-resource-not-found", "http-header-validation", "dns-rebinding-protection",
            "server-sse-multiple-streams");

    private static ConformanceRun direct;
    private static ConformanceRun relayed;
    private static ConformanceRun bridged;

    @BeforeAll
    static void runTheSuite() {
        ConformanceSuite suite = ConformanceSuite.modernInstalled();
        Path out = suite.targetDir().resolve("conformance-2026");
        List<String> scenarios = suite.serverScenarios(out.resolve("list.log"));
        try (EraServer upstream = EraServer.start(EraServer.Mode.MODERN_ONLY)) {
            direct = suite.run(upstream.mcpEndpoint(), scenarios, out.resolve("direct"), RUN_TIMEOUT);
        }
        try (EraServer upstream = EraServer.start(EraServer.Mode.MODERN_ONLY);
             McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("modern-only", upstream.mcpEndpoint())))) {
            relayed = suite.run(endpoint(relay), scenarios, out.resolve("relay"), RUN_TIMEOUT);
        }
        try (ServerEverything upstream = ServerEverything.start()) {
            RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.mcpEndpoint()));
            options = options.withUpstreams(options.upstreams(), options.upstreamPolicies().withBridgeLegacy(true));
            try (McpRelayServer relay = McpRelayServer.start(options)) {
                bridged = suite.run(endpoint(relay), scenarios, out.resolve("bridge"), RUN_TIMEOUT);
            }
        }
        LOG.info("conformance " + suite.version() + " (2026-07-28) direct: " + direct.summary());
        LOG.info("conformance " + suite.version() + " (2026-07-28) through the relay: " + relayed.summary());
        LOG.info("conformance " + suite.version() + " (2026-07-28) through the bridge to server-everything: " + bridged.summary());
    }

    private static URI endpoint(McpRelayServer relay) {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    @Test
    void everyScenarioRanInEachRun() {
        for (ConformanceRun run : List.of(direct, relayed, bridged)) {
            assertThat(run.checks().keySet()).as("scenarios with results").containsExactlyInAnyOrderElementsOf(run.scenarios());
        }
        assertThat(direct.scenarios()).as("the 2026-07-28 requirements").contains("server-stateless", "http-header-validation",
                "input-required-result-basic-elicitation");
    }

    @Test
    void everythingThatPassesDirectPassesThroughTheRelay() {
        List<String> worse = direct.worseIn(relayed);
        assertThat(direct.scenariosPassed()).as("the direct run passes some scenarios: %s", direct.summary()).isPositive();
        assertThat(worse).as("checks that pass direct but not through the relay (outputs in bootstrap/target/conformance-2026)").isEmpty();
    }

    @Test
    void theRelayOwnsTheOriginCheckTheTestServerLacks() {
        assertThat(direct.passed("dns-rebinding-protection")).as("the v2 test server does not check Origin").isFalse();
        assertThat(relayed.passed("dns-rebinding-protection")).as("mcp-relay does").isTrue();
    }

    @Test
    void theBridgeCarriesTheModernEraToA2025OnlyServer() {
        List<String> failing = BRIDGED_PASSES.stream().filter(s -> !bridged.passed(s)).toList();
        assertThat(failing).as("scenarios the bridge to server-everything must pass (outputs in bootstrap/target/conformance-2026/bridge)")
                .isEmpty();
    }
}
