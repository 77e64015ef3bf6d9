package io.mcprelay.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.intercept.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code interceptors.rules} into a {@link RuleSet}. A rule is flat:
 * <pre>
 * - name: no-deletes
 *   match: { direction: request, method: tools/call, tool: "delete_*" }
 *   action: block
 *   message: deleting is not allowed here
 * </pre>
 * with the keys of its action beside {@code action}: {@code code}/{@code message} (block),
 * {@code result} (mock, any YAML value, sent as JSON), {@code tools} (hide-tools), {@code pointer}/
 * {@code replacement} (redact), {@code duration} (delay). A key of another action is a problem, so
 * a rule never silently ignores what its author wrote.
 */
final class RuleReader {

    private static final List<String> SECTION_KEYS = List.of("rules");
    private static final List<String> MATCH_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("direction", "method", "tool", "session", "upstream"), PrincipalMatchReader.KEYS.stream()).toList();
    private static final Map<String, List<String>> ACTION_KEYS = Map.of(
            "block", List.of("code", "message"),
            "mock", List.of("result"),
            "hide-tools", List.of("tools"),
            "redact", List.of("pointer", "replacement"),
            "delay", List.of("duration"));
    private static final List<String> ACTIONS = List.of("block", "mock", "hide-tools", "redact", "delay");
    private static final List<String> RULE_KEYS = List.of("name", "match", "action", "code", "message", "result", "tools", "pointer",
            "replacement", "duration");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> problems;

    RuleReader(List<String> problems) {
        this.problems = problems;
    }

    /** The rules in {@code section} (the {@code interceptors} mapping, missing or null for none). */
    RuleSet read(JsonNode section, String path) {
        if (section.isMissingNode() || section.isNull()) {
            return RuleSet.EMPTY;
        }
        if (!section.isObject()) {
            problems.add(path + ": expected a mapping with \"rules:\", not " + ConfigFile.describe(section));
            return RuleSet.EMPTY;
        }
        unknownKeys(section, path, SECTION_KEYS);
        JsonNode list = section.path("rules");
        if (list.isMissingNode() || list.isNull()) {
            return RuleSet.EMPTY;
        }
        String listPath = path + ".rules";
        if (!list.isArray()) {
            problems.add(listPath + ": expected a list of rules (- name: ...), not " + ConfigFile.describe(list));
            return RuleSet.EMPTY;
        }
        if (list.size() > RuleSet.MAX_RULES) {
            problems.add(listPath + ": at most " + RuleSet.MAX_RULES + " rules, not " + list.size());
            return RuleSet.EMPTY;
        }
        List<InterceptRule> rules = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        int before = problems.size();
        for (int i = 0; i < list.size(); i++) {
            String rulePath = listPath + "[" + i + "]";
            Optional<InterceptRule> rule = rule(list.get(i), rulePath);
            rule.ifPresent(r -> {
                Integer earlier = names.putIfAbsent(r.name(), rules.size());
                if (earlier != null) {
                    problems.add(rulePath + ".name: " + Settings.quoted(r.name()) + " is already the name of another rule");
                }
                rules.add(r);
            });
        }
        return problems.size() > before ? RuleSet.EMPTY : new RuleSet(rules);
    }

    private Optional<InterceptRule> rule(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path + ": expected a rule (a mapping with name, match and action), not " + ConfigFile.describe(node));
            return Optional.empty();
        }
        unknownKeys(node, path, RULE_KEYS);
        int before = problems.size();
        Optional<String> name = text(node, path, "name", true);
        RuleMatch match = match(node.path("match"), path + ".match");
        Optional<String> actionName = text(node, path, "action", true);
        Optional<RuleAction> action = Optional.empty();
        if (actionName.isPresent()) {
            if (!ACTIONS.contains(actionName.get())) {
                problems.add(path + ".action: unknown action " + Settings.quoted(actionName.get()) + "; one of " + String.join(", ", ACTIONS)
                        + Suggestions.didYouMean(actionName.get(), ACTIONS));
            } else {
                List<String> own = ACTION_KEYS.get(actionName.get());
                ACTION_KEYS.forEach((other, keys) -> keys.stream()
                        .filter(k -> !own.contains(k) && node.has(k))
                        .forEach(k -> problems.add(path + "." + k + ": belongs to action " + other + ", not " + actionName.get())));
                action = action(actionName.get(), node, path);
            }
        }
        if (problems.size() > before || name.isEmpty() || action.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InterceptRule(name.get(), match, action.get()));
        } catch (IllegalArgumentException e) {
            problems.add(path + ".name: " + e.getMessage());
            return Optional.empty();
        }
    }

    private RuleMatch match(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return RuleMatch.any();
        }
        if (!node.isObject()) {
            problems.add(path + ": expected a mapping (direction, method, tool, session, upstream, subject, scope, lacksScope, claims), not "
                    + ConfigFile.describe(node));
            return RuleMatch.any();
        }
        unknownKeys(node, path, MATCH_KEYS);
        Set<Direction> directions = EnumSet.noneOf(Direction.class);
        JsonNode direction = node.path("direction");
        if (!direction.isMissingNode() && !direction.isNull()) {
            List<JsonNode> items = new ArrayList<>();
            if (direction.isArray()) {
                direction.forEach(items::add);
            } else {
                items.add(direction);
            }
            for (JsonNode item : items) {
                Optional<Direction> d = item.isTextual() ? Direction.fromConfig(item.asText()) : Optional.empty();
                if (d.isEmpty()) {
                    String names = Arrays.stream(Direction.values()).map(Direction::configName).collect(Collectors.joining(", "));
                    problems.add(path + ".direction: one of " + names + " (or a list of them), not " + ConfigFile.describe(item));
                } else {
                    directions.add(d.get());
                }
            }
        }
        return new RuleMatch(directions, glob(node, path, "method"), glob(node, path, "tool"), glob(node, path, "session"),
                glob(node, path, "upstream"), new PrincipalMatchReader(problems).read(node, path));
    }

    private Optional<Glob> glob(JsonNode node, String path, String key) {
        return text(node, path, key, false).flatMap(pattern -> {
            try {
                return Optional.of(new Glob(pattern));
            } catch (IllegalArgumentException e) {
                problems.add(path + "." + key + ": not a valid pattern: " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    private Optional<RuleAction> action(String name, JsonNode node, String path) {
        try {
            return switch (name) {
                case "block" -> {
                    int code = RuleAction.Block.DEFAULT_CODE;
                    JsonNode c = node.path("code");
                    if (!c.isMissingNode()) {
                        if (!c.canConvertToInt() || !c.isIntegralNumber()) {
                            problems.add(path + ".code: expected a whole number (a JSON-RPC error code), not " + ConfigFile.describe(c));
                            yield Optional.empty();
                        }
                        code = c.asInt();
                    }
                    String message = text(node, path, "message", false).orElse(RuleAction.Block.DEFAULT_MESSAGE);
                    yield Optional.of(new RuleAction.Block(code, message));
                }
                case "mock" -> json(node, path, "result", true).map(RuleAction.Mock::new);
                case "hide-tools" -> tools(node, path).map(RuleAction.HideTools::new);
                case "redact" -> {
                    Optional<String> pointer = text(node, path, "pointer", true);
                    Optional<String> replacement = node.has("replacement") ? json(node, path, "replacement", true)
                            : Optional.of(RuleAction.Redact.DEFAULT_REPLACEMENT);
                    if (pointer.isEmpty() || replacement.isEmpty()) {
                        yield Optional.empty();
                    }
                    try {
                        yield Optional.of(new RuleAction.Redact(pointer.get(), replacement.get()));
                    } catch (IllegalArgumentException e) {
                        problems.add(path + ".pointer: " + e.getMessage());
                        yield Optional.empty();
                    }
                }
                case "delay" -> {
                    Optional<String> text = text(node, path, "duration", true);
                    if (text.isEmpty()) {
                        yield Optional.empty();
                    }
                    Duration duration = Settings.duration(path + ".duration", text.get());
                    try {
                        yield Optional.of(new RuleAction.Delay(duration));
                    } catch (IllegalArgumentException e) {
                        problems.add(path + ".duration: at most " + Durations.format(RuleAction.Delay.MAX) + ", not " + text.get());
                        yield Optional.empty();
                    }
                }
                default -> throw new IllegalStateException("unknown action " + name);
            };
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage().startsWith(path) ? e.getMessage() : path + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<List<Glob>> tools(JsonNode node, String path) {
        JsonNode tools = node.path("tools");
        if (tools.isMissingNode() || tools.isNull()) {
            problems.add(path + ".tools: required for action hide-tools (a list of tool names or patterns)");
            return Optional.empty();
        }
        if (!tools.isArray() || tools.isEmpty()) {
            problems.add(path + ".tools: expected a non-empty list of tool names or patterns, not " + ConfigFile.describe(tools));
            return Optional.empty();
        }
        List<Glob> globs = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode item = tools.get(i);
            if (!item.isTextual()) {
                problems.add(path + ".tools[" + i + "]: expected text, not " + ConfigFile.describe(item));
                continue;
            }
            try {
                globs.add(new Glob(item.asText()));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".tools[" + i + "]: not a valid pattern: " + e.getMessage());
            }
        }
        return globs.size() == tools.size() ? Optional.of(globs) : Optional.empty();
    }

    /** Any YAML value as JSON text. */
    private Optional<String> json(JsonNode node, String path, String key, boolean required) {
        JsonNode value = node.path(key);
        if (value.isMissingNode()) {
            if (required) {
                problems.add(path + "." + key + ": required (any value: it is sent as JSON)");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            problems.add(path + "." + key + ": cannot be written as JSON (" + e.getOriginalMessage() + ")");
            return Optional.empty();
        }
    }

    private Optional<String> text(JsonNode node, String path, String key, boolean required) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
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

    private void unknownKeys(JsonNode node, String path, List<String> allowed) {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(name)) {
                problems.add(path + "." + name + ": unknown key" + Suggestions.didYouMean(name, allowed));
            }
        }
    }
}
