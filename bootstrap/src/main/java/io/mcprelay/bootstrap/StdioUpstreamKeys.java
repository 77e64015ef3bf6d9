package io.mcprelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of a stdio upstream in the configuration file: {@code command} (text), {@code args} (a
 * list of text or numbers), {@code env} (a mapping of names to text or numbers) and {@code cwd}
 * (text). They are turned into the {@code stdio:} form of {@code --upstream} ({@link StdioCommandLine#format}),
 * so that the file and the flag are read, checked and layered the same way.
 */
final class StdioUpstreamKeys {

    static final List<String> KEYS = List.of("command", "args", "env", "cwd");

    private StdioUpstreamKeys() {
    }

    /** Whether the upstream at {@code item} names a program rather than a URL. */
    static boolean present(JsonNode item) {
        return KEYS.stream().anyMatch(item::has);
    }

    /**
     * The {@code stdio:...} text of the upstream at {@code item}, or empty with a problem for each
     * wrong key added to {@code problems}.
     */
    static Optional<String> read(JsonNode item, String path, List<String> problems) {
        int before = problems.size();
        JsonNode command = item.get("command");
        if (command == null || command.isNull()) {
            problems.add(path + ".command: required for a stdio upstream (the program to run, e.g. npx)");
        } else if (!command.isTextual() || command.asText().isBlank()) {
            problems.add(path + ".command: expected the program's name or path, not " + ConfigFile.describe(command));
        }
        List<String> args = new ArrayList<>();
        JsonNode argList = item.get("args");
        if (argList != null && !argList.isNull()) {
            if (!argList.isArray()) {
                problems.add(path + ".args: expected a list of arguments, not " + ConfigFile.describe(argList));
            } else {
                for (int i = 0; i < argList.size(); i++) {
                    scalar(argList.get(i), path + ".args[" + i + "]", problems).ifPresent(args::add);
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envMap = item.get("env");
        if (envMap != null && !envMap.isNull()) {
            if (!envMap.isObject()) {
                problems.add(path + ".env: expected a mapping of variable names to values, not " + ConfigFile.describe(envMap));
            } else {
                envMap.properties().forEach(e -> {
                    if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        problems.add(path + ".env." + e.getKey() + ": not a variable name (letters, digits and '_', not starting with a digit)");
                    } else {
                        scalar(e.getValue(), path + ".env." + e.getKey(), problems).ifPresent(v -> env.put(e.getKey(), v));
                    }
                });
            }
        }
        Optional<String> cwd = Optional.empty();
        JsonNode dir = item.get("cwd");
        if (dir != null && !dir.isNull()) {
            if (!dir.isTextual() || dir.asText().isBlank()) {
                problems.add(path + ".cwd: expected a directory, not " + ConfigFile.describe(dir));
            } else {
                cwd = Optional.of(dir.asText());
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(StdioCommandLine.PREFIX + new StdioCommandLine(command.asText(), args, env, cwd).format());
    }

    private static Optional<String> scalar(JsonNode value, String path, List<String> problems) {
        if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
            problems.add(path + ": expected text, not " + (value == null ? "nothing" : ConfigFile.describe(value)));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
