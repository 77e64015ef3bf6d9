package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the Redis stores live and how long they wait for it.
 *
 * <p>Sentinel and TLS are configuration, not code: {@code url} is any URI Lettuce's {@code RedisURI}
 * understands, so {@code redis-sentinel://sentinel-1:26379,sentinel-2:26379/0#mymaster} reaches the
 * current master, and {@code rediss://} speaks TLS. A password may sit in the URL
 * ({@code redis://:secret@host:6379/0}); {@link #toString()} never shows it.
 *
 * @param url            the Redis to use: {@code redis://}, {@code rediss://}, {@code redis-sentinel://} or
 *                       {@code rediss-sentinel://}; required
 * @param commandTimeout how long one command may take before the store reports itself unavailable;
 *                       defaults to 2 seconds
 * @param connectTimeout how long opening a connection may take; defaults to 2 seconds
 * @param keyPrefix      the start of every key and channel name, so that several deployments can share
 *                       one Redis: 1 to 64 of {@code A-Z a-z 0-9 . _ : -}; defaults to {@code mcp-relay}
 */
public record RedisConfig(URI url, Duration commandTimeout, Duration connectTimeout, String keyPrefix) {

    /** The default {@link #commandTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The default {@link #connectTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default {@link #keyPrefix()}: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "mcp-relay";

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");
    /** No braces (they would break the hash tags), no glob characters (the prefix is part of a PSUBSCRIBE pattern). */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

    public RedisConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (url.getScheme() == null || !SCHEMES.contains(url.getScheme())) {
            throw new IllegalArgumentException("url: expected redis://, rediss://, redis-sentinel:// or rediss-sentinel://, not "
                    + redact(url));
        }
        try {
            RedisURI.create(url.toString());
        } catch (RuntimeException e) {
            // Neither the cause nor its raw message: both may repeat the password.
            String detail = String.valueOf(e.getMessage()).replace(url.toString(), redact(url));
            throw new IllegalArgumentException("url: not a Redis URI: " + redact(url) + " (" + detail + ")");
        }
        if (!isPositive(commandTimeout)) {
            throw new IllegalArgumentException("commandTimeout: must be positive, not " + commandTimeout);
        }
        if (!isPositive(connectTimeout)) {
            throw new IllegalArgumentException("connectTimeout: must be positive, not " + connectTimeout);
        }
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix: 1 to 64 of A-Z a-z 0-9 . _ : -, not '" + keyPrefix + "'");
        }
    }

    /** The Redis at {@code url}, with a command and connect timeout of 2 seconds each and the key prefix {@code mcp-relay}. */
    public static RedisConfig defaults(URI url) {
        return new RedisConfig(url, DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEY_PREFIX);
    }

    /** This configuration with another key prefix. */
    public RedisConfig withKeyPrefix(String prefix) {
        return new RedisConfig(url, commandTimeout, connectTimeout, prefix);
    }

    /** This configuration with other timeouts. */
    public RedisConfig withTimeouts(Duration command, Duration connect) {
        return new RedisConfig(url, command, connect, keyPrefix);
    }

    /** The URL without its user and password, fit for logs and error messages. */
    public String safeUrl() {
        return redact(url);
    }

    /** Lettuce's URI, carrying the command timeout. */
    RedisURI redisUri() {
        RedisURI uri = RedisURI.create(url.toString());
        uri.setTimeout(commandTimeout);
        return uri;
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + safeUrl() + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout
                + ", keyPrefix=" + keyPrefix + "]";
    }

    private static String redact(URI url) {
        return USER_INFO.matcher(url.toString()).replaceFirst("//***@");
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
