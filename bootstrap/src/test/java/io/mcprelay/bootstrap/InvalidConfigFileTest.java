package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid configuration files, each with the message that names its key and what is wrong. */
class InvalidConfigFileTest {

    private static final String UPSTREAM = "upstreams:\n  - name: a\n    url: http://127.0.0.1:3001/mcp\n";

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("empty file", "", "the file is empty: expected a mapping of settings such as \"upstreams:\" (see docs/configuration.md)"),
                Arguments.of("only a comment", "# nothing here\n", "the file is empty: expected a mapping of settings such as \"upstreams:\" (see docs/configuration.md)"),
                Arguments.of("not YAML", "listen: [1, 2\n", "line 1, column 14: not valid YAML (while parsing a flow sequence)"),
                Arguments.of("a list at the top", "- a\n- b\n", "the top level must be a mapping of settings (key: value lines), not a list"),
                Arguments.of("duplicate key", UPSTREAM + "listen:\n  port: 1\n  port: 2\n", "line 6, column 7: duplicate key 'port'"),
                Arguments.of("unknown top-level key, typo", UPSTREAM + "sesions:\n  ttl: 5m\n", "sesions: unknown key (did you mean \"sessions\"?)"),
                Arguments.of("unknown top-level key, nothing close", UPSTREAM + "tracing: on\n", "tracing: unknown key"),
                Arguments.of("unknown nested key, swapped letters", UPSTREAM + "listen:\n  prot: 8080\n", "listen.prot: unknown key (did you mean \"port\"?)"),
                Arguments.of("kebab-case key", UPSTREAM + "listen:\n  max-body-bytes: 10\n",
                        "listen.max-body-bytes: unknown key (did you mean \"maxBodyBytes\"?)"),
                Arguments.of("unknown key two levels down", UPSTREAM + "upstreamPolicy:\n  health:\n    intervall: 5s\n",
                        "upstreamPolicy.health.intervall: unknown key (did you mean \"interval\"?)"),
                Arguments.of("unknown key in an upstream", "upstreams:\n  - name: a\n    url: http://h/mcp\n    wieght: 2\n",
                        "upstreams[0].wieght: unknown key (did you mean \"weight\"?)"),
                Arguments.of("section that is not a mapping", UPSTREAM + "listen: 8080\n", "listen: expected a mapping (key: value lines), not the number 8080"),
                Arguments.of("text for a number", UPSTREAM + "listen:\n  port: eighty\n", "listen.port: expected a whole number, not the text \"eighty\""),
                Arguments.of("fraction for a number", UPSTREAM + "sessions:\n  max: 1.5\n", "sessions.max: expected a whole number, not the number 1.5"),
                Arguments.of("text for a boolean", UPSTREAM + "upstreamPolicy:\n  forwardCredentials: yes please\n",
                        "upstreamPolicy.forwardCredentials: expected true or false, not the text \"yes please\""),
                Arguments.of("number for text", UPSTREAM + "admin:\n  token: 1234567890123456789\n",
                        "admin.token: expected text, not the number 1234567890123456789 (quote it)"),
                Arguments.of("text for a list", UPSTREAM + "listen:\n  allowedOrigins: https://app.example\n",
                        "listen.allowedOrigins: expected a list of text, e.g. [\"a\", \"b\"], not the text \"https://app.example\""),
                Arguments.of("null for a required value", UPSTREAM + "listen:\n  bind: null\n", "listen.bind: has no value; remove the key to get the default"),
                Arguments.of("empty text", UPSTREAM + "listen:\n  bind:\n", "listen.bind: must not be empty"),
                Arguments.of("negative limit", UPSTREAM + "replay:\n  maxEvents: -1\n", "replay.maxEvents: must be between 1 and 10000000, not -1"),
                Arguments.of("zero limit", UPSTREAM + "sessions:\n  max: 0\n", "sessions.max: must be between 1 and 2147483646, not 0"),
                Arguments.of("port out of range", UPSTREAM + "listen:\n  port: 70000\n", "listen.port: must be between 0 and 65535, not 70000"),
                Arguments.of("duration without unit", UPSTREAM + "sessions:\n  ttl: 30\n",
                        "sessions.ttl: expected a duration with a unit (500ms, 30s, 5m, 1h), not the number 30"),
                Arguments.of("bad duration", UPSTREAM + "replay:\n  ttl: ten minutes\n",
                        "replay.ttl: not a duration (500ms, 30s, 5m, 1h, 2d or ISO-8601): \"ten minutes\""),
                Arguments.of("negative duration", UPSTREAM + "streams:\n  disconnectGrace: -5s\n", "streams.disconnectGrace: must be positive, not -5s"),
                Arguments.of("probe timeout over its interval", UPSTREAM + "upstreamPolicy:\n  health: {interval: 1s, timeout: 3s}\n",
                        "upstreamPolicy.health.timeout: must not exceed the health interval (1s)"),
                Arguments.of("unknown enum value", UPSTREAM + "upstreamPolicy:\n  balance: fastest\n",
                        "upstreamPolicy.balance: one of weighted, round-robin, least-in-flight, random; not \"fastest\""),
                Arguments.of("bad upstream URL", "upstreams:\n  - name: a\n    url: http://h/mcp\n  - name: b\n    url: ftp://x\n",
                        "upstreams[1].url: not an http(s) URL: \"ftp://x\""),
                Arguments.of("bad upstream URL, password masked", "upstreams:\n  - name: a\n    url: htp://svc:secret@h/mcp\n",
                        "upstreams[0].url: not an http(s) URL: \"htp://svc:********@h/mcp\""),
                Arguments.of("upstream without url", "upstreams:\n  - name: a\n", "upstreams[0].url: required"),
                Arguments.of("stdio upstream without command", "upstreams:\n  - {name: fs, args: [x]}\n",
                        "upstreams[0].command: required for a stdio upstream (the program to run, e.g. npx)"),
                Arguments.of("stdio upstream with url too", "upstreams:\n  - {name: fs, url: http://h/mcp, command: npx}\n",
                        "upstreams[0]: either url (an HTTP upstream) or command (a stdio upstream), not both"),
                Arguments.of("stdio args not a list", "upstreams:\n  - {name: fs, command: npx, args: -y}\n",
                        "upstreams[0].args: expected a list of arguments, not the text \"-y\""),
                Arguments.of("stdio env not a mapping", "upstreams:\n  - {name: fs, command: npx, env: [A]}\n",
                        "upstreams[0].env: expected a mapping of variable names to values, not a list"),
                Arguments.of("stdio env with a bad name", "upstreams:\n  - {name: fs, command: npx, env: {'A-B': x}}\n",
                        "upstreams[0].env.A-B: not a variable name (letters, digits and '_', not starting with a digit)"),
                Arguments.of("bad stdio flag", "upstreams:\n  - {name: a, url: \"stdio:npx 'open\"}\n",
                        "upstreams[0].url: a ' is not closed"),
                Arguments.of("stdio max processes zero", UPSTREAM + "upstreamPolicy:\n  stdioMaxProcesses: 0\n",
                        "upstreamPolicy.stdioMaxProcesses: must be between 1 and 100000, not 0"),
                Arguments.of("upstream with a bad name", "upstreams:\n  - name: a b\n    url: http://h/mcp\n",
                        "upstreams[0].name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; not \"a b\""),
                Arguments.of("duplicate upstream name", "upstreams:\n  - {name: a, url: http://h1/mcp}\n  - {name: a, url: http://h2/mcp}\n",
                        "upstreams[1].name: \"a\" is already the name of upstreams[0]"),
                Arguments.of("upstream weight out of range", "upstreams:\n  - {name: a, url: http://h/mcp, weight: 0}\n",
                        "upstreams[0].weight: must be between 1 and 1000, not 0"),
                Arguments.of("upstream era unknown", "upstreams:\n  - {name: a, url: http://h/mcp, era: both}\n",
                        "upstreams[0].era: one of auto, legacy, modern, dual; not the text \"both\""),
                Arguments.of("upstreams not a list", "upstreams: http://h/mcp\n",
                        "upstreams: expected a list of upstreams (- name: ...  url: ...), not the text \"http://h/mcp\""),
                Arguments.of("no upstream at all", "listen:\n  port: 8080\n",
                        "no upstream: give at least one (upstreams in the file, --upstream or MCP_RELAY_UPSTREAM)"),
                Arguments.of("redis without a URL", UPSTREAM + "store:\n  kind: redis\n",
                        "store.kind: redis needs a Redis URL (store.redisUrl, --redis-url or MCP_RELAY_REDIS_URL)"),
                Arguments.of("not a Redis URL, password masked", UPSTREAM + "store:\n  kind: redis\n  redisUrl: http://:hunter2@h:6379\n",
                        "store.redisUrl: must start with redis://, rediss:// or redis-sentinel://, not \"http://:********@h:6379\""),
                Arguments.of("short admin token", UPSTREAM + "admin:\n  token: short\n", "admin.token: must have at least 16 characters"),
                Arguments.of("unknown rule action", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: blok}\n",
                        "interceptors.rules[0].action: unknown action \"blok\"; one of block, mock, hide-tools, redact, delay (did you mean \"block\"?)"),
                Arguments.of("rule without action", UPSTREAM + "interceptors:\n  rules:\n    - {name: r}\n", "interceptors.rules[0].action: required"),
                Arguments.of("rule with a bad name", UPSTREAM + "interceptors:\n  rules:\n    - {name: '-r', action: block}\n",
                        "interceptors.rules[0].name: a rule name is 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit: -r"),
                Arguments.of("rule key of another action", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: mock, result: 1, message: hi}\n",
                        "interceptors.rules[0].message: belongs to action block, not mock"),
                Arguments.of("redact with a bad pointer", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: redact, pointer: params/x}\n",
                        "interceptors.rules[0].pointer: not a JSON Pointer to a member (RFC 6901, e.g. /params/arguments/password): params/x"),
                Arguments.of("empty glob", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, match: {tool: ''}, action: block}\n",
                        "interceptors.rules[0].match.tool: expected text, not the text \"\""),
                Arguments.of("glob too long", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, match: {method: '" + "x".repeat(300) + "'}, action: block}\n",
                        "interceptors.rules[0].match.method: not a valid pattern: a pattern has 1..256 characters"),
                Arguments.of("unknown direction", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, match: {direction: [request, inbound]}, action: block}\n",
                        "interceptors.rules[0].match.direction: one of request, response, event (or a list of them), not the text \"inbound\""),
                Arguments.of("unknown match key", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, match: {tools: x}, action: block}\n",
                        "interceptors.rules[0].match.tools: unknown key (did you mean \"tool\"?)"),
                Arguments.of("mock without result", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: mock}\n",
                        "interceptors.rules[0].result: required (any value: it is sent as JSON)"),
                Arguments.of("hide-tools with an empty list", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: hide-tools, tools: []}\n",
                        "interceptors.rules[0].tools: expected a non-empty list of tool names or patterns, not a list"),
                Arguments.of("delay too long", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: delay, duration: 2m}\n",
                        "interceptors.rules[0].duration: at most 1m, not 2m"),
                Arguments.of("block code not a number", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: block, code: forbidden}\n",
                        "interceptors.rules[0].code: expected a whole number (a JSON-RPC error code), not the text \"forbidden\""),
                Arguments.of("duplicate rule names", UPSTREAM + "interceptors:\n  rules:\n    - {name: r, action: block}\n    - {name: r, action: block}\n",
                        "interceptors.rules[1].name: \"r\" is already the name of another rule"),
                Arguments.of("rules not a list", UPSTREAM + "interceptors:\n  rules: {name: r}\n",
                        "interceptors.rules: expected a list of rules (- name: ...), not a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void anInvalidFileIsRefusedWithAMessageNamingTheKey(String name, String yaml, String expected) {
        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> Configuration.resolve(ConfigFile.parse(yaml), Map.of(), Map.of()));

        assertThat(refused).as("a configuration with %s is refused", name).isNotNull();
        assertThat(refused.problems()).containsExactly(expected);
    }
}
