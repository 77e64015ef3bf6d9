package io.mcprelay.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mcprelay.domain.intercept.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the YAML configuration file strictly: every key must be known (a near miss gets a "did you
 * mean"), every value must have its key's type, and every problem is collected with its key path
 * ({@code upstreams[1].url: not an http(s) URL: "ftp://x"}) rather than stopping at the first. The
 * scalar keys become {@link Setting}s of their options, with the key path as origin, so their values
 * are judged by the same rules as flags; the upstream list and the interception rules are read here.
 */
final class ConfigFile {

    /** The largest file read: {@value} bytes. A configuration is a few kilobytes. */
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern UPSTREAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<String> UPSTREAM_KEYS = List.of("name", "url", "weight", "enabled", "era", "command", "args", "env", "cwd", "auth");

    /**
     * What a file says.
     *
     * @param settings the options its scalar keys and upstream list set, each with its key path as origin
     * @param disabled names of the upstreams it marks {@code enabled: false}
     * @param rules    its interception rules
     * @param problems what is wrong with its keys and types; the values of its settings are judged
     *                 later, with the other layers' (see {@link Configuration#resolve})
     * @param upstreamAuth mcp-relay's own credentials by upstream name ({@code upstreams[].auth})
     */
    record Contents(Map<String, List<Setting>> settings, Set<String> disabled, RuleSet rules, List<String> problems,
                    Map<String, UpstreamAuth> upstreamAuth) {

        /** No file: nothing set. */
        static final Contents NONE = new Contents(Map.of(), Set.of(), RuleSet.EMPTY, List.of(), Map.of());

        Contents {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            disabled = Set.copyOf(disabled);
            problems = List.copyOf(problems);
            upstreamAuth = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreamAuth));
        }
    }

    private final List<String> problems = new ArrayList<>();
    private final Map<String, List<Setting>> settings = new LinkedHashMap<>();
    private final Set<String> disabled = new LinkedHashSet<>();
    private final Map<String, UpstreamAuth> upstreamAuth = new LinkedHashMap<>();

    private ConfigFile() {
    }

    /**
     * Reads {@code file} and checks its keys and types; throws when it cannot be read or is not a
     * YAML mapping, and otherwise returns what it says with the problems found.
     */
    static Contents read(Path file) throws ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException(file + ": larger than " + MAX_BYTES + " bytes; is this the configuration file?");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return parse(text);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        }
    }

    /** Reads the YAML {@code text} and checks its keys and types; see {@link #read}. */
    static Contents parse(String text) throws ConfigException {
        JsonNode root;
        try {
            root = yaml().readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            String what = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            throw new ConfigException(where + (what.startsWith("Duplicate field") ? "duplicate key " + what.substring(what.indexOf('\''))
                    : "not valid YAML (" + what + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("the file is empty: expected a mapping of settings such as \"upstreams:\" (see docs/configuration.md)");
        }
        if (!root.isObject()) {
            throw new ConfigException("the top level must be a mapping of settings (key: value lines), not " + describe(root));
        }
        ConfigFile reader = new ConfigFile();
        reader.section(root, "");
        RuleSet rules = new RuleReader(reader.problems).read(root.path(ConfigKeys.INTERCEPTORS), ConfigKeys.INTERCEPTORS);
        reader.upstreams(root.get(ConfigKeys.UPSTREAMS));
        return new Contents(reader.settings, reader.disabled, rules, reader.problems, reader.upstreamAuth);
    }

    private static ObjectMapper yaml() {
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(20);    // no "billion laughs"
        limits.setCodePointLimit(MAX_BYTES);
        limits.setNestingDepthLimit(20);
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Reads the mapping at {@code prefix}: its scalar keys, its sub-sections; unknown keys are problems. */
    private void section(JsonNode node, String prefix) {
        List<String> allowed = ConfigKeys.childrenOf(prefix);
        if (!prefix.isEmpty() && !mapping(node, prefix, allowed)) {
            return;
        }
        if (prefix.isEmpty()) {
            unknownKeys(node, prefix, allowed);
        }
        for (String child : allowed) {
            String path = prefix.isEmpty() ? child : prefix + "." + child;
            JsonNode value = node.get(child);
            if (value == null || child.equals(ConfigKeys.UPSTREAMS) || child.equals(ConfigKeys.INTERCEPTORS)) {
                continue;
            }
            Optional<ConfigKeys.Key> key = ConfigKeys.at(path);
            if (key.isPresent()) {
                scalar(key.get(), value);
            } else {
                section(value, path);
            }
        }
    }

    /**
     * {@code true} if {@code node} is a mapping (unknown keys reported); {@code false} if it is null
     * (an empty section, all defaults) or not a mapping (reported).
     */
    private boolean mapping(JsonNode node, String path, List<String> allowed) {
        if (node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            problems.add(path + ": expected a mapping (key: value lines), not " + describe(node));
            return false;
        }
        unknownKeys(node, path, allowed);
        return true;
    }

    private void unknownKeys(JsonNode node, String path, List<String> allowed) {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(name)) {
                problems.add((path.isEmpty() ? "" : path + ".") + name + ": unknown key" + Suggestions.didYouMean(name, allowed));
            }
        }
    }

    private void scalar(ConfigKeys.Key key, JsonNode value) {
        if (value.isNull()) {
            if (!key.nullable()) {
                problems.add(key.path() + ": has no value; remove the key to get the default");
            }
            return;
        }
        switch (key.kind()) {
            case TEXT_LIST -> {
                if (!value.isArray()) {
                    problems.add(key.path() + ": expected a list of text, e.g. [\"a\", \"b\"], not " + describe(value));
                    return;
                }
                List<Setting> items = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    textOf(value.get(i), key.path() + "[" + i + "]").ifPresent(t -> items.add(new Setting(t, key.path())));
                }
                settings.put(key.flag(), items);
            }
            case INTEGER -> {
                if (!value.isIntegralNumber()) {
                    problems.add(key.path() + ": expected a whole number, not " + describe(value));
                    return;
                }
                put(key, value.asText());
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    problems.add(key.path() + ": expected a number, not " + describe(value));
                    return;
                }
                put(key, value.asText());
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    problems.add(key.path() + ": expected true or false, not " + describe(value));
                    return;
                }
                put(key, value.asText());
            }
            case DURATION -> {
                if (!value.isTextual()) {
                    problems.add(key.path() + ": expected a duration with a unit (500ms, 30s, 5m, 1h), not " + describe(value));
                    return;
                }
                put(key, value.asText());
            }
            case TEXT -> textOf(value, key.path()).ifPresent(t -> put(key, t));
        }
    }

    private Optional<String> textOf(JsonNode value, String path) {
        if (!value.isTextual()) {
            problems.add(path + ": expected text, not " + describe(value) + (value.isValueNode() ? " (quote it)" : ""));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    private void put(ConfigKeys.Key key, String value) {
        settings.put(key.flag(), List.of(new Setting(value, key.path())));
    }

    /**
     * {@code upstreams: [{name, url, weight, enabled}, ...]}: names required and unique; a stdio
     * upstream has {@code command, args, env, cwd} instead of {@code url} ({@link StdioUpstreamKeys}).
     */
    private void upstreams(JsonNode list) {
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            problems.add("upstreams: expected a list of upstreams (- name: ...  url: ...), not " + describe(list));
            return;
        }
        List<Setting> targets = new ArrayList<>();
        List<Setting> weights = new ArrayList<>();
        List<Setting> eras = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "upstreams[" + i + "]";
            JsonNode item = list.get(i);
            if (item.isNull() || !mapping(item, path, UPSTREAM_KEYS)) {
                if (item.isNull()) {
                    problems.add(path + ": empty; an upstream needs a name and a url");
                }
                continue;
            }
            Optional<String> name = required(item, path, "name").flatMap(n -> textOf(n, path + ".name"));
            Optional<String> url;
            if (StdioUpstreamKeys.present(item)) {
                if (item.has("url")) {
                    problems.add(path + ": either url (an HTTP upstream) or command (a stdio upstream), not both");
                }
                url = StdioUpstreamKeys.read(item, path, problems);
            } else {
                url = required(item, path, "url").flatMap(u -> textOf(u, path + ".url"));
            }
            if (name.isPresent() && !UPSTREAM_NAME.matcher(name.get()).matches()) {
                problems.add(path + ".name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; not "
                        + Settings.quoted(name.get()));
                name = Optional.empty();
            }
            if (name.isPresent()) {
                Integer earlier = seen.putIfAbsent(name.get(), i);
                if (earlier != null) {
                    problems.add(path + ".name: " + Settings.quoted(name.get()) + " is already the name of upstreams[" + earlier + "]");
                    name = Optional.empty();
                }
            }
            if (name.isPresent() && url.isPresent()) {
                targets.add(new Setting(name.get() + "=" + url.get(), path + ".url"));
            }
            JsonNode weight = item.get("weight");
            if (weight != null && !weight.isNull()) {
                if (!weight.isIntegralNumber()) {
                    problems.add(path + ".weight: expected a whole number, not " + describe(weight));
                } else if (name.isPresent() && url.isPresent()) {
                    weights.add(new Setting(name.get() + "=" + weight.asText(), path + ".weight"));
                }
            }
            JsonNode auth = item.get("auth");
            if (auth != null && !auth.isNull()) {
                if (StdioUpstreamKeys.present(item)) {
                    problems.add(path + ".auth: only an HTTP upstream (url) takes credentials; give a stdio upstream's secrets in env");
                } else {
                    Optional<UpstreamAuth> read = UpstreamAuthKeys.read(auth, path + ".auth", problems);
                    if (read.isPresent() && name.isPresent()) {
                        upstreamAuth.put(name.get(), read.get());
                    }
                }
            }
            JsonNode era = item.get("era");
            if (era != null && !era.isNull()) {
                if (!era.isTextual() || io.mcprelay.domain.era.UpstreamEra.parse(era.asText()).isEmpty()) {
                    problems.add(path + ".era: one of auto, legacy, modern, dual; not " + describe(era));
                } else if (name.isPresent() && url.isPresent()) {
                    eras.add(new Setting(name.get() + "=" + era.asText(), path + ".era"));
                }
            }
            JsonNode enabled = item.get("enabled");
            if (enabled != null && !enabled.isNull()) {
                if (!enabled.isBoolean()) {
                    problems.add(path + ".enabled: expected true or false, not " + describe(enabled));
                } else if (!enabled.asBoolean() && name.isPresent()) {
                    disabled.add(name.get());
                }
            }
        }
        if (!targets.isEmpty()) {
            settings.put("--upstream", targets);
        }
        if (!weights.isEmpty()) {
            settings.put("--weight", weights);
        }
        if (!eras.isEmpty()) {
            settings.put("--upstream-era", eras);
        }
    }

    private Optional<JsonNode> required(JsonNode mapping, String path, String key) {
        JsonNode value = mapping.get(key);
        if (value == null || value.isNull()) {
            problems.add(path + "." + key + ": required");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** How a value that has the wrong type is named in a problem. */
    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the text " + Settings.quoted(node.asText());
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isBoolean()) {
            return "the boolean " + node.asText();
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
