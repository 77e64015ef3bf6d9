package io.mcprelay.domain.access;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DNS-rebinding defence the protocol requires of every server: which {@code Origin} and
 * {@code Host} values a request may carry.
 *
 * <p>A request without {@code Origin} (every non-browser client) passes. A request with one passes
 * when the origin is in the allow-list, or when it is a loopback origin ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}, any port) and loopback origins are allowed. {@code "*"} in the
 * allow-list allows every origin. {@code Host} is checked only when the listener is bound to a
 * loopback address: then it must name a loopback host or one of the configured hosts, so a web page
 * whose DNS name was rebound to 127.0.0.1 is refused.
 *
 * @param allowedOrigins  origins allowed besides loopback ones, as {@code scheme://host[:port]}
 * @param allowLoopback   whether loopback origins are allowed (the default)
 * @param checkHost       whether {@code Host} is checked (the default when bound to loopback)
 * @param allowedHosts    extra host names allowed in {@code Host} when it is checked
 */
public record OriginPolicy(Set<String> allowedOrigins, boolean allowLoopback, boolean checkHost, Set<String> allowedHosts) {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    public OriginPolicy {
        allowedOrigins = allowedOrigins.stream().map(OriginPolicy::normalizeOrigin).collect(Collectors.toUnmodifiableSet());
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The default for a listener: loopback origins allowed; {@code Host} checked when bound to loopback. */
    public static OriginPolicy forListener(boolean boundToLoopback, List<String> extraOrigins, List<String> extraHosts) {
        return new OriginPolicy(Set.copyOf(extraOrigins), true, boundToLoopback, Set.copyOf(extraHosts));
    }

    /** Empty when the request may pass, otherwise the rejection. */
    public Optional<Rejection> check(Optional<String> origin, Optional<String> host) {
        if (origin.isPresent() && !originAllowed(origin.get())) {
            return Optional.of(Rejection.of(RejectionReason.FORBIDDEN_ORIGIN, "Forbidden: Origin " + clip(origin.get()) + " is not allowed"));
        }
        if (checkHost && host.isPresent() && !hostAllowed(host.get())) {
            return Optional.of(Rejection.of(RejectionReason.FORBIDDEN_HOST, "Forbidden: Host " + clip(host.get()) + " is not allowed"));
        }
        return Optional.empty();
    }

    private boolean originAllowed(String origin) {
        if (allowedOrigins.contains("*")) {
            return true;
        }
        String normalized = normalizeOrigin(origin);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        if (!allowLoopback) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null
                    && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean hostAllowed(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            name = end < 0 ? host : host.substring(0, end + 1);
        } else {
            int colon = host.lastIndexOf(':');
            name = colon < 0 ? host : host.substring(0, colon);
        }
        return LOOPBACK_HOSTS.contains(name) || allowedHosts.contains(name) || allowedHosts.contains(host);
    }

    private static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
