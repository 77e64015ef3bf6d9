package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --print-config: the effective configuration in the file's schema, secrets masked, readable back. */
class PrintConfigTest {

    @Test
    void secretsAreMasked() throws Exception {
        ConfigFile.Contents file = ConfigFile.parse("""
                upstreams:
                  - {name: a, url: "http://svc:upstream-secret@a.test/mcp"}
                store:
                  kind: redis
                  redisUrl: "redis://:redis-secret@127.0.0.1:6379/0"
                admin:
                  port: 0
                """);
        Map<String, List<Setting>> env = CommandLine.environment(Map.of("MCP_RELAY_ADMIN_TOKEN", "admin-secret-0123456789"));

        String printed = ConfigPrinter.yaml(Configuration.resolve(file, env, Map.of()));

        assertThat(printed).doesNotContain("upstream-secret", "redis-secret", "admin-secret-0123456789")
                .contains("url: \"http://svc:********@a.test/mcp\"")
                .contains("redisUrl: \"redis://:********@127.0.0.1:6379/0\"")
                .contains("token: \"********\"");
    }

    @Test
    void thePrintedConfigurationReadsBackAsTheSameConfiguration() throws Exception {
        Configuration original = Configuration.resolve(ConfigFile.parse("""
                upstreams:
                  - {name: a, url: http://a.test/mcp, weight: 2}
                  - {name: b, url: http://b.test/mcp, enabled: false}
                listen: {port: 0, allowedHosts: [relay.internal]}
                streams: {disconnectGrace: 1500ms}
                interceptors:
                  rules:
                    - {name: r1, match: {direction: [request, event], method: "tools/*"}, action: block, code: -32001, message: "no"}
                    - {name: r2, action: mock, result: {content: [{type: text, text: "42"}]}}
                    - {name: r3, action: hide-tools, tools: [secret_*]}
                    - {name: r4, action: redact, pointer: /params/arguments/password, replacement: {masked: true}}
                    - {name: r5, action: delay, duration: 250ms}
                """), Map.of(), CommandLine.parse("--max-sessions", "7").settings());

        String printed = ConfigPrinter.yaml(original);
        Configuration readBack = Configuration.resolve(ConfigFile.parse(printed), Map.of(), Map.of());

        assertThat(readBack.options().rules()).isEqualTo(original.options().rules());
        assertThat(readBack.options().maxSessions()).isEqualTo(7);
        assertThat(ConfigPrinter.tree(readBack, false)).isEqualTo(ConfigPrinter.tree(original, false));
        assertThat(printed).contains("disconnectGrace: \"1500ms\"").contains("admin:\n  port: null");
    }
}
