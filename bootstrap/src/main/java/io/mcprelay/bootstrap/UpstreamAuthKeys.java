package io.mcprelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcprelay.adapter.http.out.credentials.TokenEndpoint;
import io.mcprelay.adapter.http.out.credentials.TokenExchange;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code auth} key of an HTTP upstream in the configuration file: {@code headers} (names to
 * secrets), {@code clientCredentials} or {@code tokenExchange} (a token endpoint and what to ask it).
 * A secret is {@code {env: NAME}}, {@code {file: PATH}} or {@code {value: TEXT}}, each with an
 * optional {@code prefix}; a plain text is taken as {@code {value: TEXT}}. Problems are collected
 * with their key paths, as for every other key.
 */
final class UpstreamAuthKeys {

    static final List<String> KEYS = List.of("headers", "clientCredentials", "tokenExchange");
    private static final List<String> GRANT_KEYS = List.of("tokenUrl", "clientId", "clientSecret", "clientKey", "clientAuth", "scope",
            "audience", "resource", "timeout", "cacheSize");
    private static final List<String> SECRET_KEYS = List.of("env", "file", "value", "prefix");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers mcp-relay sets itself on every upstream request; credentials cannot replace them. */
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding", "connection", "mcp-session-id",
            "mcp-protocol-version", "last-event-id", "content-type", "accept");

    private UpstreamAuthKeys() {
    }

    /** The credentials at {@code node} ({@code path} names it in problems), or empty with problems added. */
    static Optional<UpstreamAuth> read(JsonNode node, String path, List<String> problems) {
        int before = problems.size();
        if (!node.isObject()) {
            problems.add(path + ": expected a mapping with headers, clientCredentials or tokenExchange, not " + ConfigFile.describe(node));
            return Optional.empty();
        }
        unknown(node, path, KEYS, problems);
        Map<String, UpstreamAuth.Secret> headers = new LinkedHashMap<>();
        JsonNode headerMap = node.get("headers");
        if (headerMap != null && !headerMap.isNull()) {
            if (!headerMap.isObject()) {
                problems.add(path + ".headers: expected a mapping of header names to secrets, not " + ConfigFile.describe(headerMap));
            } else {
                headerMap.properties().forEach(e -> {
                    String where = path + ".headers." + e.getKey();
                    if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                        problems.add(where + ": not a header name");
                    } else if (RESERVED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                        problems.add(where + ": mcp-relay sets this header itself");
                    } else {
                        secret(e.getValue(), where, problems).ifPresent(s -> headers.put(e.getKey(), s));
                    }
                });
            }
        }
        Optional<UpstreamAuth.Grant> clientCredentials = grant(node.get("clientCredentials"), path + ".clientCredentials", false, problems);
        Optional<UpstreamAuth.Grant> tokenExchange = grant(node.get("tokenExchange"), path + ".tokenExchange", true, problems);
        if (clientCredentials.isPresent() && tokenExchange.isPresent()) {
            problems.add(path + ": either clientCredentials or tokenExchange, not both (each sets Authorization)");
        }
        boolean authorizationHeader = headers.keySet().stream().anyMatch("authorization"::equalsIgnoreCase);
        if (authorizationHeader && (clientCredentials.isPresent() || tokenExchange.isPresent())) {
            problems.add(path + ".headers.Authorization: the grant sets Authorization; remove one of them");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamAuth(headers, clientCredentials, tokenExchange));
    }

    private static Optional<UpstreamAuth.Grant> grant(JsonNode node, String path, boolean exchange, List<String> problems) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            problems.add(path + ": expected a mapping (tokenUrl, clientId, clientSecret, ...), not " + ConfigFile.describe(node));
            return Optional.empty();
        }
        int before = problems.size();
        unknown(node, path, exchange ? GRANT_KEYS : GRANT_KEYS.subList(0, GRANT_KEYS.size() - 1), problems);
        Optional<URI> url = text(node, path, "tokenUrl", problems, true).flatMap(u -> {
            try {
                URI uri = new URI(u);
                if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(path + ".tokenUrl: not an http(s) URL: " + Settings.quoted(u));
                    return Optional.empty();
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                problems.add(path + ".tokenUrl: not a URL: " + Settings.quoted(u));
                return Optional.empty();
            }
        });
        Optional<String> clientId = text(node, path, "clientId", problems, true);
        TokenEndpoint.ClientAuth auth = TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC;
        Optional<String> authName = text(node, path, "clientAuth", problems, false);
        if (authName.isPresent()) {
            try {
                auth = TokenEndpoint.ClientAuth.valueOf(authName.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".clientAuth: one of client_secret_basic, client_secret_post, private_key_jwt; not "
                        + Settings.quoted(authName.get()));
            }
        }
        String secretKey = auth == TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT ? "clientKey" : "clientSecret";
        String otherKey = secretKey.equals("clientKey") ? "clientSecret" : "clientKey";
        if (node.has(otherKey)) {
            problems.add(path + "." + otherKey + ": not used with clientAuth " + auth.name().toLowerCase(Locale.ROOT) + " (it takes " + secretKey + ")");
        }
        Optional<UpstreamAuth.Secret> secret = Optional.empty();
        JsonNode secretNode = node.get(secretKey);
        if (secretNode == null || secretNode.isNull()) {
            problems.add(path + "." + secretKey + ": required ({env: NAME} or {file: PATH})");
        } else {
            secret = secret(secretNode, path + "." + secretKey, problems);
        }
        Optional<String> scope = text(node, path, "scope", problems, false);
        Optional<String> audience = text(node, path, "audience", problems, false);
        Optional<String> resource = text(node, path, "resource", problems, false);
        Duration timeout = UpstreamAuth.DEFAULT_TIMEOUT;
        Optional<String> timeoutText = text(node, path, "timeout", problems, false);
        if (timeoutText.isPresent()) {
            try {
                timeout = Durations.parse(timeoutText.get());
                if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                    problems.add(path + ".timeout: from 100ms to 1m, not " + timeoutText.get());
                }
            } catch (RuntimeException e) {
                problems.add(path + ".timeout: expected a duration with a unit (500ms, 5s), not " + Settings.quoted(timeoutText.get()));
            }
        }
        int cacheSize = TokenExchange.DEFAULT_MAX_ENTRIES;
        JsonNode size = node.get("cacheSize");
        if (size != null && !size.isNull()) {
            if (!size.isIntegralNumber() || size.asInt() < 1 || size.asInt() > 1_000_000) {
                problems.add(path + ".cacheSize: a whole number from 1 to 1000000, not " + ConfigFile.describe(size));
            } else {
                cacheSize = size.asInt();
            }
        }
        if (exchange && audience.isEmpty() && resource.isEmpty()) {
            problems.add(path + ": needs audience or resource (what the exchanged token is for)");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamAuth.Grant(url.orElseThrow(), clientId.orElseThrow(), secret.orElseThrow(), auth, scope, audience,
                resource, timeout, cacheSize));
    }

    private static Optional<UpstreamAuth.Secret> secret(JsonNode node, String path, List<String> problems) {
        if (node.isTextual()) {
            return node.asText().isEmpty() ? fail(path + ": empty", problems) : Optional.of(new UpstreamAuth.Secret("value", node.asText(), ""));
        }
        if (!node.isObject()) {
            return fail(path + ": expected {env: NAME}, {file: PATH} or {value: TEXT}, not " + ConfigFile.describe(node), problems);
        }
        unknown(node, path, SECRET_KEYS, problems);
        List<String> kinds = SECRET_KEYS.subList(0, 3).stream().filter(node::has).toList();
        if (kinds.size() != 1) {
            return fail(path + ": exactly one of env, file or value", problems);
        }
        String kind = kinds.getFirst();
        JsonNode source = node.get(kind);
        if (!source.isTextual() || source.asText().isEmpty()) {
            return fail(path + "." + kind + ": expected text, not " + ConfigFile.describe(source), problems);
        }
        JsonNode prefix = node.get("prefix");
        if (prefix != null && !prefix.isNull() && !prefix.isTextual()) {
            return fail(path + ".prefix: expected text, not " + ConfigFile.describe(prefix), problems);
        }
        return Optional.of(new UpstreamAuth.Secret(kind, source.asText(), prefix == null || prefix.isNull() ? "" : prefix.asText()));
    }

    private static Optional<String> text(JsonNode node, String path, String key, List<String> problems, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(path + "." + key + ": required");
            }
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(path + "." + key + ": expected text, not " + ConfigFile.describe(value));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    private static void unknown(JsonNode node, String path, List<String> allowed, List<String> problems) {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(name)) {
                problems.add(path + "." + name + ": unknown key" + Suggestions.didYouMean(name, allowed));
            }
        }
    }

    private static <T> Optional<T> fail(String problem, List<String> problems) {
        problems.add(problem);
        return Optional.empty();
    }
}
