package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.out.credentials.ClientCredentialsGrant;
import io.mcprelay.adapter.http.out.credentials.StaticHeaders;
import io.mcprelay.adapter.http.out.credentials.TokenEndpoint;
import io.mcprelay.adapter.http.out.credentials.TokenExchange;
import io.mcprelay.adapter.http.out.credentials.UpstreamCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * mcp-relay's own credentials for one HTTP upstream, as the configuration names them
 * ({@code upstreams[].auth}, docs/auth.md "Credentials for upstreams"): static headers, and at most
 * one of a client-credentials grant and a token exchange. Secrets are named, never held here: a
 * {@link Secret} says where its value is (a variable, a file, or, discouraged, the file itself),
 * and is read when the credentials are {@link #build built}.
 *
 * @param headers           header names to their values
 * @param clientCredentials a token of mcp-relay's own from this grant, sent as {@code Authorization}
 * @param tokenExchange     the client's token exchanged for one for the upstream, sent as {@code Authorization}
 */
record UpstreamAuth(Map<String, Secret> headers, Optional<Grant> clientCredentials, Optional<Grant> tokenExchange) {

    /** The largest secret file read. */
    static final int MAX_SECRET_BYTES = 64 << 10;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    UpstreamAuth {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(clientCredentials, "clientCredentials");
        Objects.requireNonNull(tokenExchange, "tokenExchange");
        if (clientCredentials.isPresent() && tokenExchange.isPresent()) {
            throw new IllegalArgumentException("either clientCredentials or tokenExchange, not both (each sets Authorization)");
        }
    }

    /**
     * Where a secret's value is.
     *
     * @param kind   {@code env} (a variable's name), {@code file} (a path; one trailing line break is
     *               dropped) or {@code value} (the value itself, in the configuration)
     * @param source the variable, the path, or the value
     * @param prefix put before the value, e.g. {@code "Bearer "}
     */
    record Secret(String kind, String source, String prefix) {
        Secret {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(prefix, "prefix");
        }

        /** The value, read now; throws with what is missing (never the value). */
        String read(Function<String, String> env, String where) {
            String value = switch (kind) {
                case "env" -> {
                    String v = env.apply(source);
                    if (v == null || v.isEmpty()) {
                        throw new IllegalArgumentException(where + ": the environment variable " + source + " is not set");
                    }
                    yield v;
                }
                case "file" -> readFile(Path.of(source), where);
                default -> source;
            };
            return prefix + value;
        }

        private static String readFile(Path file, String where) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_SECRET_BYTES + 1);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
            if (bytes.length > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException(where + ": " + file + " is larger than " + MAX_SECRET_BYTES + " bytes");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (text.isEmpty()) {
                throw new IllegalArgumentException(where + ": " + file + " is empty");
            }
            return text;
        }
    }

    /**
     * A token endpoint and what to ask it for.
     *
     * @param tokenUrl   the token endpoint
     * @param clientId   mcp-relay's client id there
     * @param secret     the client secret, or for {@code PRIVATE_KEY_JWT} the private key (a JWK)
     * @param clientAuth how mcp-relay authenticates there
     * @param scope      scopes to ask for (space-separated)
     * @param audience   the {@code audience} parameter
     * @param resource   the {@code resource} parameter (RFC 8707)
     * @param timeout    the longest one request to the endpoint may take
     * @param cacheSize  exchanged tokens kept (token exchange only)
     */
    record Grant(URI tokenUrl, String clientId, Secret secret, TokenEndpoint.ClientAuth clientAuth, Optional<String> scope,
                 Optional<String> audience, Optional<String> resource, Duration timeout, int cacheSize) {
        Grant {
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(clientAuth, "clientAuth");
            Objects.requireNonNull(timeout, "timeout");
        }

        TokenEndpoint endpoint(Function<String, String> env, String where) {
            return new TokenEndpoint(tokenUrl, clientId, secret.read(env, where), clientAuth, timeout);
        }
    }

    /**
     * The credentials of every upstream in {@code auth}, their secrets read now through {@code env}
     * (variables) and the file system. Throws {@link IllegalArgumentException} naming the upstream and
     * the missing variable or file.
     */
    static Map<String, UpstreamCredentials> build(Map<String, UpstreamAuth> auth, Function<String, String> env) {
        Map<String, UpstreamCredentials> out = new LinkedHashMap<>();
        auth.forEach((upstream, spec) -> out.put(upstream, spec.credentials(upstream, env)));
        return out;
    }

    UpstreamCredentials credentials(String upstream, Function<String, String> env) {
        String where = "upstream " + upstream;
        List<UpstreamCredentials> parts = new ArrayList<>();
        if (!headers.isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            headers.forEach((name, secret) -> values.put(name, secret.read(env, where + ", header " + name)));
            parts.add(new StaticHeaders(values));
        }
        clientCredentials.ifPresent(grant -> parts.add(new ClientCredentialsGrant(upstream, grant.endpoint(env, where + ", clientCredentials"),
                grant.scope(), grant.audience(), grant.resource())));
        tokenExchange.ifPresent(grant -> parts.add(new TokenExchange(upstream, grant.endpoint(env, where + ", tokenExchange"),
                grant.audience(), grant.resource(), grant.scope(), grant.cacheSize())));
        return UpstreamCredentials.all(parts);
    }
}
