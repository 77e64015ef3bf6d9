package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcprelay.bootstrap.StoreOptions.Kind;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The session store and the replay-log store are chosen apart ({@code store.sessions},
 * {@code store.log}), each defaulting to {@code store.kind}; every mix is accepted, and a Redis URL is
 * required as soon as either is Redis, the message naming the option that asked for Redis.
 */
class StoreSettingsTest {

    private static final String UPSTREAM = "upstreams:\n  - {name: a, url: http://127.0.0.1:3001/mcp}\n";
    private static final String REDIS = "redis://127.0.0.1:6379";

    private static StoreOptions store(String yaml, Map<String, String> env, String... args) throws Exception {
        return Configuration.resolve(ConfigFile.parse(UPSTREAM + yaml), CommandLine.environment(env), CommandLine.parse(args).settings())
                .options().store();
    }

    private static List<String> problems(String yaml, Map<String, String> env, String... args) throws Exception {
        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> store(yaml, env, args));
        assertThat(refused).as("refused").isNotNull();
        return refused.problems();
    }

    @Test
    void bothFollowTheStoreKindByDefault() throws Exception {
        assertThat(store("", Map.of())).isEqualTo(StoreOptions.memory());
        assertThat(store("", Map.of(), "--store", "redis", "--redis-url", REDIS)).isEqualTo(StoreOptions.redis(URI.create(REDIS)));
        StoreOptions redis = store("store:\n  kind: redis\n  redisUrl: " + REDIS + "\n", Map.of());
        assertThat(List.of(redis.kind(), redis.sessions(), redis.log())).containsOnly(Kind.REDIS);
        assertThat(redis.replayLogsLocalToInstance()).isFalse();
    }

    /**
     * Each mix, from each layer: the file names the sessions' store and lets the log follow
     * {@code kind}, the flags the reverse, the environment both.
     */
    @ParameterizedTest(name = "sessions {0}, replay logs {1}")
    @CsvSource({"redis, memory", "memory, redis"})
    void eachMixIsReadFromTheFileTheFlagsAndTheEnvironment(String sessions, String log) throws Exception {
        StoreOptions fromFile = store("store:\n  kind: " + log + "\n  sessions: " + sessions + "\n  redisUrl: " + REDIS + "\n", Map.of());
        StoreOptions fromFlags = store("", Map.of(), "--store", sessions, "--replay-log-store", log.toUpperCase(java.util.Locale.ROOT),
                "--redis-url", REDIS);
        StoreOptions fromEnv = store("", Map.of("MCP_RELAY_SESSION_STORE", sessions, "MCP_RELAY_REPLAY_LOG_STORE", log,
                "MCP_RELAY_REDIS_URL", REDIS));

        Kind sessionKind = Kind.valueOf(sessions.toUpperCase(java.util.Locale.ROOT));
        Kind logKind = Kind.valueOf(log.toUpperCase(java.util.Locale.ROOT));
        assertThat(List.of(fromFile, fromFlags, fromEnv)).allSatisfy(s -> {
            assertThat(s.sessions()).isEqualTo(sessionKind);
            assertThat(s.log()).isEqualTo(logKind);
            assertThat(s.usesRedis()).isTrue();
            assertThat(s.replayLogsLocalToInstance()).isEqualTo(sessionKind == Kind.REDIS);
            assertThat(s.redisUrl()).contains(URI.create(REDIS));
        });
        assertThat(List.of(fromFile.kind(), fromFlags.kind(), fromEnv.kind())).containsExactly(logKind, sessionKind, Kind.MEMORY);
    }

    @Test
    void theOptionForOneStoreWinsOverTheStoreKindWhicheverLayerSetEither() throws Exception {
        StoreOptions fileSaysSessionsRedisFlagsSayMemory = store("store:\n  sessions: redis\n  redisUrl: " + REDIS + "\n", Map.of(),
                "--store", "memory");
        StoreOptions envSaysLogMemoryFlagsSayRedis = store("", Map.of("MCP_RELAY_REPLAY_LOG_STORE", "memory"), "--store", "redis",
                "--redis-url", REDIS);

        assertThat(fileSaysSessionsRedisFlagsSayMemory.sessions()).isEqualTo(Kind.REDIS);
        assertThat(fileSaysSessionsRedisFlagsSayMemory.log()).isEqualTo(Kind.MEMORY);
        assertThat(envSaysLogMemoryFlagsSayRedis.sessions()).isEqualTo(Kind.REDIS);
        assertThat(envSaysLogMemoryFlagsSayRedis.log()).isEqualTo(Kind.MEMORY);
    }

    @Test
    void aStoreKindOfRedisThatNeitherStoreUsesNeedsNoRedis() throws Exception {
        StoreOptions s = store("store:\n  kind: redis\n  sessions: memory\n  log: memory\n", Map.of());

        assertThat(s.usesRedis()).isFalse();
        assertThat(s.redisUrl()).isEmpty();
    }

    @Test
    void nullInTheFileFollowsTheStoreKind() throws Exception {
        StoreOptions s = store("store:\n  kind: redis\n  sessions: null\n  log: ~\n  redisUrl: " + REDIS + "\n", Map.of());

        assertThat(s.sessions()).isEqualTo(Kind.REDIS);
        assertThat(s.log()).isEqualTo(Kind.REDIS);
    }

    @Test
    void redisWithoutAUrlIsRefusedNamingTheOptionThatAskedForIt() throws Exception {
        String needsUrl = ": redis needs a Redis URL (store.redisUrl, --redis-url or MCP_RELAY_REDIS_URL)";

        assertThat(problems("store:\n  sessions: redis\n", Map.of())).containsExactly("store.sessions" + needsUrl);
        assertThat(problems("store:\n  log: redis\n", Map.of())).containsExactly("store.log" + needsUrl);
        assertThat(problems("", Map.of(), "--replay-log-store", "redis")).containsExactly("--replay-log-store" + needsUrl);
        assertThat(problems("", Map.of("MCP_RELAY_SESSION_STORE", "redis"))).containsExactly("MCP_RELAY_SESSION_STORE" + needsUrl);
        assertThat(problems("store:\n  kind: redis\n  sessions: memory\n", Map.of())).as("the log follows store.kind")
                .containsExactly("store.kind" + needsUrl);
    }

    @Test
    void aKindThatIsNeitherMemoryNorRedisIsRefused() throws Exception {
        assertThat(problems("store:\n  log: disk\n", Map.of())).containsExactly("store.log: memory or redis, not \"disk\"");
        assertThat(problems("", Map.of(), "--session-store", "postgres")).containsExactly("--session-store: memory or redis, not \"postgres\"");
    }

    @Test
    void printConfigShowsBothStoresAndReadsBackTheSame() throws Exception {
        Configuration c = Configuration.resolve(ConfigFile.parse(UPSTREAM), CommandLine.environment(Map.of()),
                CommandLine.parse("--session-store", "redis", "--redis-url", REDIS).settings());

        String printed = ConfigPrinter.yaml(c);

        assertThat(printed).contains("kind: \"memory\"").contains("sessions: \"redis\"").contains("log: \"memory\"");
        StoreOptions again = Configuration.resolve(ConfigFile.parse(printed), Map.of(), Map.of()).options().store();
        assertThat(again).isEqualTo(c.options().store());
    }

    @Test
    void theOptionsRecordRefusesRedisWithoutAUrlWhicheverStoreIsRedis() {
        assertThatThrownBy(() -> StoreOptions.memory().withSessions(Kind.REDIS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--redis-url");
        assertThatThrownBy(() -> StoreOptions.memory().withLog(Kind.REDIS)).isInstanceOf(IllegalArgumentException.class);
        StoreOptions mixed = StoreOptions.redis(URI.create(REDIS)).withLog(Kind.MEMORY);
        assertThat(mixed.kind()).isEqualTo(Kind.REDIS);
        assertThat(mixed.replayLogsLocalToInstance()).isTrue();
        assertThat(StoreOptions.redis(URI.create(REDIS)).withSessions(Kind.MEMORY).withLog(Kind.MEMORY).usesRedis()).isFalse();
        assertThat(new StoreOptions(Kind.MEMORY, Optional.empty(), "p", false).sessions()).isEqualTo(Kind.MEMORY);
    }
}
