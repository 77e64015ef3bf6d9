package io.mcprelay.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link Configuration} in the file's own schema, every key present, so that
 * {@code --print-config} shows what the relay runs with and its output can be fed back as a file.
 * Masked output hides the admin token and passwords in URLs; the unmasked tree is what reloads compare.
 */
final class ConfigPrinter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigPrinter() {
    }

    /** The configuration as YAML, secrets masked. */
    static String yaml(Configuration configuration) {
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)    // text stays text: an unquoted `no` would read back as false
                .build());
        try {
            return "# mcp-relay: effective configuration (defaults < file < environment < command line); secrets masked\n"
                    + yaml.writeValueAsString(tree(configuration, true));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration as a tree in the file's schema; {@code masked} hides the secrets. */
    static ObjectNode tree(Configuration configuration, boolean masked) {
        ObjectNode root = NODES.objectNode();
        for (ConfigKeys.Key key : ConfigKeys.ALL) {
            String[] parts = key.path().split("\\.");
            ObjectNode section = root;
            for (int i = 0; i < parts.length - 1; i++) {
                section = section.has(parts[i]) ? (ObjectNode) section.get(parts[i]) : section.putObject(parts[i]);
            }
            Object value = key.effective().apply(configuration);
            if (value != null && masked && key.secret()) {
                value = value.toString().contains("://") ? Secrets.maskUri(value.toString()) : Secrets.MASK;
            }
            section.set(parts[parts.length - 1], node(value));
        }
        root.set(ConfigKeys.UPSTREAMS, upstreams(configuration.options(), masked));
        root.putObject(ConfigKeys.INTERCEPTORS).set("rules", rules(configuration.options().rules().rules()));
        ObjectNode ordered = NODES.objectNode();
        ConfigKeys.childrenOf("").forEach(key -> ordered.set(key, root.get(key)));
        return ordered;
    }

    private static ArrayNode upstreams(RelayOptions options, boolean masked) {
        ArrayNode list = NODES.arrayNode();
        for (UpstreamSpec spec : UpstreamSettings.upstreamSpecs(options)) {
            ObjectNode upstream = list.addObject().put("name", spec.name());
            switch (spec.target().transport()) {
                case UpstreamTransport.Http http -> {
                    String url = http.endpoint().toString();
                    upstream.put("url", masked ? Secrets.maskUri(url) : url);
                }
                case UpstreamTransport.Stdio stdio -> {
                    upstream.put("command", stdio.command());
                    ArrayNode args = upstream.putArray("args");
                    stdio.args().forEach(args::add);
                    ObjectNode env = upstream.putObject("env");
                    // values of a server's environment are typically its API keys
                    new java.util.TreeMap<>(stdio.env()).forEach((name, value) -> env.put(name, masked ? Secrets.MASK : value));
                    stdio.cwd().ifPresent(dir -> upstream.put("cwd", dir));
                }
            }
            upstream.put("weight", spec.weight()).put("enabled", spec.enabled()).put("era", spec.era().word());
            UpstreamAuth auth = options.upstreamAuth().get(spec.name());
            if (auth != null) {
                upstream.set("auth", auth(auth, masked));
            }
        }
        return list;
    }

    /** An upstream's credentials: where each secret is (a variable, a file), never a value when {@code masked}. */
    private static ObjectNode auth(UpstreamAuth auth, boolean masked) {
        ObjectNode node = NODES.objectNode();
        if (!auth.headers().isEmpty()) {
            ObjectNode headers = node.putObject("headers");
            auth.headers().forEach((name, secret) -> headers.set(name, secret(secret, masked)));
        }
        auth.clientCredentials().ifPresent(grant -> node.set("clientCredentials", grant(grant, false, masked)));
        auth.tokenExchange().ifPresent(grant -> node.set("tokenExchange", grant(grant, true, masked)));
        return node;
    }

    private static ObjectNode secret(UpstreamAuth.Secret secret, boolean masked) {
        ObjectNode node = NODES.objectNode();
        node.put(secret.kind(), masked && secret.kind().equals("value") ? Secrets.MASK : secret.source());
        if (!secret.prefix().isEmpty()) {
            node.put("prefix", secret.prefix());
        }
        return node;
    }

    private static ObjectNode grant(UpstreamAuth.Grant grant, boolean exchange, boolean masked) {
        ObjectNode node = NODES.objectNode();
        node.put("tokenUrl", grant.tokenUrl().toString()).put("clientId", grant.clientId())
                .put("clientAuth", grant.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
        node.set(grant.clientAuth() == io.mcprelay.adapter.http.out.credentials.TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT
                ? "clientKey" : "clientSecret", secret(grant.secret(), masked));
        grant.scope().ifPresent(v -> node.put("scope", v));
        grant.audience().ifPresent(v -> node.put("audience", v));
        grant.resource().ifPresent(v -> node.put("resource", v));
        node.put("timeout", Durations.format(grant.timeout()));
        if (exchange) {
            node.put("cacheSize", grant.cacheSize());
        }
        return node;
    }

    private static ArrayNode rules(List<InterceptRule> rules) {
        ArrayNode list = NODES.arrayNode();
        for (InterceptRule rule : rules) {
            ObjectNode node = list.addObject().put("name", rule.name());
            ObjectNode match = match(rule.match());
            if (!match.isEmpty()) {
                node.set("match", match);
            }
            node.put("action", rule.action().configName());
            switch (rule.action()) {
                case RuleAction.Block block -> node.put("code", block.code()).put("message", block.message());
                case RuleAction.Mock mock -> node.set("result", parse(mock.resultJson()));
                case RuleAction.HideTools hide -> {
                    ArrayNode tools = node.putArray("tools");
                    hide.tools().forEach(g -> tools.add(g.pattern()));
                }
                case RuleAction.Redact redact -> node.put("pointer", redact.pointer()).set("replacement", parse(redact.replacementJson()));
                case RuleAction.Delay delay -> node.put("duration", Durations.format(delay.duration()));
            }
        }
        return list;
    }

    private static ObjectNode match(RuleMatch match) {
        ObjectNode node = NODES.objectNode();
        if (!match.directions().isEmpty()) {
            ArrayNode directions = node.putArray("direction");
            match.directions().stream().sorted(Comparator.naturalOrder()).map(Direction::configName).forEach(directions::add);
        }
        put(node, "method", match.method());
        put(node, "tool", match.tool());
        put(node, "session", match.session());
        put(node, "upstream", match.upstream());
        return node;
    }

    private static void put(ObjectNode node, String key, Optional<Glob> glob) {
        glob.ifPresent(g -> node.put(key, g.pattern()));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);
        }
    }

    private static JsonNode node(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case Duration d -> NODES.textNode(Durations.format(d));
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double x -> NODES.numberNode(x);
            case Boolean b -> NODES.booleanNode(b);
            case List<?> items -> {
                ArrayNode list = NODES.arrayNode();
                items.forEach(item -> list.add(item.toString()));
                yield list;
            }
            default -> NODES.textNode(value.toString());
        };
    }
}
