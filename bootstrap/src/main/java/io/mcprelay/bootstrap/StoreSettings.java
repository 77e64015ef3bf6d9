package io.mcprelay.bootstrap;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The store options (the {@code store} section of the file): which kind of store sessions and
 * replay logs each use, and the Redis they share. Kept apart from {@link Settings} so that the store
 * settings read as one piece.
 *
 * <p>{@code --store} gives the kind of both stores; {@code --session-store} and
 * {@code --replay-log-store} each override it for one store, whichever layer (file, environment,
 * command line) set either: the option that names one store is the more specific one. Every mix is
 * accepted (docs/distributed.md says what each one gives); a Redis URL is needed as soon as either
 * store is Redis.
 */
final class StoreSettings {

    static final Set<String> VALUED = Set.of("--store", "--session-store", "--replay-log-store", "--redis-url", "--redis-key-prefix",
            "--redis-near-cache");

    private StoreSettings() {
    }

    /** The value of a store option, or {@link IllegalArgumentException} naming its origin. */
    static Object convert(String flag, Setting setting) {
        String label = setting.origin();
        String value = setting.value();
        return switch (flag) {
            case "--store", "--session-store", "--replay-log-store" -> kind(label, value);
            case "--redis-url" -> Settings.redisUri(label, value);
            case "--redis-key-prefix" -> Settings.nonBlank(label, value);
            case "--redis-near-cache" -> Settings.bool(label, value);
            default -> throw new IllegalArgumentException(label + ": unknown option (see --help)");
        };
    }

    private static StoreOptions.Kind kind(String label, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "memory" -> StoreOptions.Kind.MEMORY;
            case "redis" -> StoreOptions.Kind.REDIS;
            default -> throw new IllegalArgumentException(label + ": memory or redis, not " + Settings.quoted(value));
        };
    }

    /**
     * The stores the merged settings describe; empty, with a problem added naming the option that asked
     * for Redis, when a store is Redis and no Redis URL is given. A value that is not valid counts as
     * unset here ({@link Settings#check} reports it).
     */
    static Optional<StoreOptions> options(Settings.Values v, List<String> problems) {
        StoreOptions.Kind kind = v.get("--store", StoreOptions.Kind.MEMORY);
        StoreOptions.Kind sessions = v.get("--session-store", kind);
        StoreOptions.Kind log = v.get("--replay-log-store", kind);
        Optional<URI> redisUrl = Optional.ofNullable(v.get("--redis-url", null));
        if ((sessions == StoreOptions.Kind.REDIS || log == StoreOptions.Kind.REDIS) && !v.merged().containsKey("--redis-url")) {
            problems.add(redisOrigin(v, sessions, log) + ": redis needs a Redis URL (store.redisUrl, --redis-url or MCP_RELAY_REDIS_URL)");
            return Optional.empty();
        }
        if (redisUrl.isEmpty() && (sessions == StoreOptions.Kind.REDIS || log == StoreOptions.Kind.REDIS)) {
            return Optional.empty();    // the URL is not valid: reported by Settings.check
        }
        return Optional.of(new StoreOptions(kind, sessions, log, redisUrl, v.get("--redis-key-prefix", Settings.DEFAULT_KEY_PREFIX),
                v.get("--redis-near-cache", true)));
    }

    /** Where the Redis was asked for: the store option that says redis itself, else {@code --store}. */
    private static String redisOrigin(Settings.Values v, StoreOptions.Kind sessions, StoreOptions.Kind log) {
        if (sessions == StoreOptions.Kind.REDIS && v.isSet("--session-store")) {
            return v.origin("--session-store", "--session-store");
        }
        if (log == StoreOptions.Kind.REDIS && v.isSet("--replay-log-store")) {
            return v.origin("--replay-log-store", "--replay-log-store");
        }
        return v.origin("--store", "--store");
    }
}
