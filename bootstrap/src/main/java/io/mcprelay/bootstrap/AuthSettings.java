package io.mcprelay.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --auth-*} options (the {@code auth} section of the file): what each value must look
 * like and how they become {@link AuthOptions}. Kept apart from {@link Settings} so that the
 * authentication settings read as one piece.
 */
final class AuthSettings {

    static final Set<String> VALUED = Set.of("--auth-issuer", "--auth-jwks-uri", "--auth-resource", "--auth-audience",
            "--auth-required-scope", "--auth-clock-skew", "--auth-jwks-timeout", "--auth-jwks-cache-ttl", "--auth-jwks-min-refresh",
            "--auth-introspection-uri", "--auth-introspection-client-id", "--auth-introspection-client-secret", "--auth-introspection-timeout",
            "--auth-introspection-cache-ttl", "--auth-introspection-tokens");
    static final Set<String> REPEATABLE = Set.of("--auth-audience", "--auth-required-scope");

    private AuthSettings() {
    }

    /** The value of an {@code --auth-*} option, or {@link IllegalArgumentException} naming its origin. */
    static Object convert(String flag, Setting setting) {
        String label = setting.origin();
        String value = setting.value().trim();
        return switch (flag) {
            case "--auth-issuer", "--auth-jwks-uri", "--auth-resource", "--auth-introspection-uri" -> httpUri(label, value);
            case "--auth-introspection-client-id", "--auth-introspection-client-secret" -> {
                if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException(label + ": must be printable text, not empty");
                }
                yield value;
            }
            case "--auth-introspection-timeout" -> {
                java.time.Duration timeout = Settings.duration(label, value);
                if (timeout.compareTo(java.time.Duration.ofMillis(100)) < 0 || timeout.compareTo(java.time.Duration.ofMinutes(1)) > 0) {
                    throw new IllegalArgumentException(label + ": from 100ms to 1m, not " + value);
                }
                yield timeout;
            }
            case "--auth-introspection-cache-ttl" -> {
                java.time.Duration ttl = Settings.duration(label, value);
                if (ttl.compareTo(java.time.Duration.ofHours(1)) > 0) {
                    throw new IllegalArgumentException(label + ": at most 1h (a revoked token is accepted this long), not " + value);
                }
                yield ttl;
            }
            case "--auth-introspection-tokens" -> switch (value.toLowerCase(Locale.ROOT)) {
                case "opaque", "all" -> value.toLowerCase(Locale.ROOT);
                default -> throw new IllegalArgumentException(label + ": opaque (tokens that are not JWTs) or all, not " + Settings.quoted(value));
            };
            case "--auth-audience" -> {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(label + ": must not be empty");
                }
                yield value;
            }
            case "--auth-required-scope" -> {
                if (value.isEmpty() || value.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\\' || c >= 0x7f)) {
                    throw new IllegalArgumentException(label + ": a scope is printable ASCII without spaces or quotes, not "
                            + Settings.quoted(value));
                }
                yield value;
            }
            case "--auth-clock-skew" -> {
                java.time.Duration skew = Settings.duration(label, value);
                if (skew.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
                    throw new IllegalArgumentException(label + ": at most 5m (a skew is small), not " + value);
                }
                yield skew;
            }
            case "--auth-jwks-timeout", "--auth-jwks-cache-ttl", "--auth-jwks-min-refresh" -> Settings.duration(label, value);
            default -> throw new IllegalArgumentException(label + ": unknown option (see --help)");
        };
    }

    /**
     * The authentication the merged settings describe; with an issuer, a JWKS URI and a resource
     * must be given too, else a problem is added and authentication stays off.
     */
    static AuthOptions options(Map<String, List<Setting>> merged, List<String> problems) {
        Optional<URI> issuer = uri(merged, "--auth-issuer");
        Optional<URI> jwks = uri(merged, "--auth-jwks-uri");
        Optional<URI> resource = uri(merged, "--auth-resource");
        if (issuer.isEmpty()) {
            return AuthOptions.off();    // the other auth.* keys may stand at their defaults, as in the example file
        }
        Optional<AuthOptions.Introspection> introspection = introspection(merged, problems);
        if (jwks.isEmpty() && introspection.isEmpty() || resource.isEmpty()) {
            problems.add(merged.get("--auth-issuer").getLast().origin() + ": with an issuer, give the JWKS URI (auth.jwksUri, --auth-jwks-uri)"
                    + " or an introspection endpoint (auth.introspection.uri), and this relay's resource URI (auth.resource, --auth-resource) too");
            return AuthOptions.off();
        }
        if (jwks.isEmpty() && introspection.isPresent() && !introspection.get().all()) {
            problems.add(merged.get("--auth-issuer").getLast().origin() + ": without a JWKS URI every token is introspected;"
                    + " set auth.introspection.tokens: all (--auth-introspection-tokens all)");
            return AuthOptions.off();
        }
        return new AuthOptions(issuer, jwks, resource, all(merged, "--auth-audience"), all(merged, "--auth-required-scope"),
                get(merged, "--auth-clock-skew", AuthOptions.DEFAULT_CLOCK_SKEW), get(merged, "--auth-jwks-timeout", AuthOptions.DEFAULT_JWKS_TIMEOUT),
                get(merged, "--auth-jwks-cache-ttl", AuthOptions.DEFAULT_JWKS_CACHE_TTL),
                get(merged, "--auth-jwks-min-refresh", AuthOptions.DEFAULT_JWKS_MIN_REFRESH), introspection);
    }

    /** The introspection endpoint, with its client id and secret, when one is given. */
    private static Optional<AuthOptions.Introspection> introspection(Map<String, List<Setting>> merged, List<String> problems) {
        Optional<URI> uri = uri(merged, "--auth-introspection-uri");
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        String id = get(merged, "--auth-introspection-client-id", null);
        String secret = get(merged, "--auth-introspection-client-secret", null);
        if (id == null || secret == null) {
            problems.add(merged.get("--auth-introspection-uri").getLast().origin() + ": the introspection endpoint needs mcp-relay's client id"
                    + " and secret there (auth.introspection.clientId, auth.introspection.clientSecret or MCP_RELAY_AUTH_INTROSPECTION_CLIENT_SECRET)");
            return Optional.empty();
        }
        return Optional.of(new AuthOptions.Introspection(uri.get(), id, secret,
                get(merged, "--auth-introspection-timeout", AuthOptions.Introspection.DEFAULT_TIMEOUT),
                get(merged, "--auth-introspection-cache-ttl", AuthOptions.Introspection.DEFAULT_CACHE_TTL),
                "all".equals(get(merged, "--auth-introspection-tokens", "opaque"))));
    }

    private static Optional<URI> uri(Map<String, List<Setting>> merged, String flag) {
        return Optional.ofNullable(get(merged, flag, null));
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, List<Setting>> merged, String flag, T otherwise) {
        List<Setting> settings = merged.getOrDefault(flag, List.of());
        try {
            return settings.isEmpty() ? otherwise : (T) convert(flag, settings.getLast());
        } catch (IllegalArgumentException reported) {
            return otherwise;
        }
    }

    private static List<String> all(Map<String, List<Setting>> merged, String flag) {
        return merged.getOrDefault(flag, List.of()).stream().flatMap(s -> {
            try {
                return java.util.stream.Stream.of((String) convert(flag, s));
            } catch (IllegalArgumentException reported) {
                return java.util.stream.Stream.empty();
            }
        }).distinct().toList();
    }

    private static URI httpUri(String label, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getFragment() != null) {
                throw new IllegalArgumentException(label + ": an http(s) URL without fragment, not " + Settings.quoted(value));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(label + ": not a URL (" + e.getReason() + ")");
        }
    }
}
