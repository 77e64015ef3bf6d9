package io.mcprelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers for the files of deploy/ and the Dockerfile, as their tools read them (for the parts the
 * examples use): a systemd unit as INI lines, Kubernetes manifests as YAML documents, a Dockerfile as
 * instructions. Tests then check what the files ask of the relay against the relay itself.
 */
final class DeploymentFiles {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private DeploymentFiles() {
    }

    static Path root() {
        return Path.of(System.getProperty("mcprelay.projectRoot", ".")).toAbsolutePath().normalize();
    }

    /** A systemd unit: section, then key, then every value given for it in order. */
    record Unit(Map<String, Map<String, List<String>>> sections) {

        static Unit read(Path file) throws IOException {
            Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
            Map<String, List<String>> current = null;
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                    continue;
                }
                int eq = line.indexOf('=');
                if (current == null || eq <= 0) {
                    throw new IllegalArgumentException(file + ": not a unit file line: " + raw);
                }
                current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
            return new Unit(sections);
        }

        /** The one value of {@code key} in {@code section}; fails when it is missing or given twice. */
        String value(String section, String key) {
            List<String> values = sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
            if (values.size() != 1) {
                throw new IllegalArgumentException("[" + section + "] " + key + " is given " + values.size() + " times");
            }
            return values.getFirst();
        }

        /** The variables of every {@code Environment=} line of [Service] (unquoted KEY=VALUE words). */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : sections.getOrDefault("Service", Map.of()).getOrDefault("Environment", List.of())) {
                for (String word : line.split("\\s+")) {
                    int eq = word.indexOf('=');
                    env.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            return env;
        }

        /** {@code key}'s command line with ${VAR} and $VAR replaced from {@link #environment()}, split into words. */
        List<String> command(String key) {
            return List.of(expand(value("Service", key), environment()).split("\\s+"));
        }
    }

    /** {@code text} with ${NAME} and $NAME replaced from {@code variables}; an unknown name fails. */
    static String expand(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            if (!variables.containsKey(name)) {
                throw new IllegalArgumentException("$" + name + " is not defined, in: " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(variables.get(name)));
        }
        return m.appendTail(out).toString();
    }

    /** Every YAML document of every manifest in {@code directory} but the kustomization, in file order. */
    static List<JsonNode> manifests(Path directory) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        List<JsonNode> documents = new ArrayList<>();
        for (String file : kustomizationResources(directory)) {
            try (var parser = yaml.createParser(directory.resolve(file).toFile())) {
                yaml.readValues(parser, JsonNode.class).readAll().stream().filter(node -> !node.isNull()).forEach(documents::add);
            }
        }
        return documents;
    }

    /** The files the kustomization lists: the ones {@code kubectl apply -k} applies. */
    static List<String> kustomizationResources(Path directory) throws IOException {
        JsonNode kustomization = new YAMLMapper().readTree(directory.resolve("kustomization.yaml").toFile());
        List<String> files = new ArrayList<>();
        kustomization.path("resources").forEach(node -> files.add(node.asText()));
        return files;
    }

    /** The one document of {@code kind} named {@code name}. */
    static JsonNode manifest(List<JsonNode> documents, String kind, String name) {
        List<JsonNode> found = documents.stream()
                .filter(doc -> doc.path("kind").asText().equals(kind) && doc.path("metadata").path("name").asText().equals(name)).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " manifests of kind " + kind + " named " + name);
        }
        return found.getFirst();
    }

    static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(doc -> doc.path("kind").asText().equals(kind)).toList();
    }

    /**
     * The variables the kubelet injects for {@code service} when service links are on (the default):
     * {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT[_<PORT NAME>]}, {@code <NAME>_PORT=tcp://...}
     * and {@code <NAME>_PORT_<port>_TCP[_PROTO|_PORT|_ADDR]}.
     */
    static Map<String, String> serviceLinks(JsonNode service, String clusterIp) {
        String name = service.path("metadata").path("name").asText().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        Map<String, String> env = new LinkedHashMap<>();
        env.put(name + "_SERVICE_HOST", clusterIp);
        boolean first = true;
        for (JsonNode port : service.path("spec").path("ports")) {
            String number = port.path("port").asText();
            String protocol = port.path("protocol").asText("TCP");
            String url = protocol.toLowerCase(java.util.Locale.ROOT) + "://" + clusterIp + ":" + number;
            if (first) {
                env.put(name + "_SERVICE_PORT", number);
                env.put(name + "_PORT", url);
                first = false;
            }
            if (port.has("name")) {
                env.put(name + "_SERVICE_PORT_" + port.path("name").asText().toUpperCase(java.util.Locale.ROOT).replace('-', '_'), number);
            }
            String prefix = name + "_PORT_" + number + "_" + protocol;
            env.put(prefix, url);
            env.put(prefix + "_PROTO", protocol.toLowerCase(java.util.Locale.ROOT));
            env.put(prefix + "_PORT", number);
            env.put(prefix + "_ADDR", clusterIp);
        }
        return env;
    }

    /** A Dockerfile instruction: its keyword in upper case and the rest of it, continuations joined. */
    record Instruction(String keyword, String arguments) {

        /** The exec form (a JSON array) as its words; the shell form split on blanks. */
        List<String> words() {
            if (arguments.startsWith("[")) {
                try {
                    return List.of(new ObjectMapper().readValue(arguments, String[].class));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a JSON array: " + arguments, e);
                }
            }
            return List.of(arguments.split("\\s+"));
        }
    }

    static List<Instruction> dockerfile(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && pending.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(line).toString().strip();
            pending.setLength(0);
            String[] parts = whole.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
        }
        return instructions;
    }

    /** The instructions of the last stage (after the last FROM), the image that is shipped. */
    static List<Instruction> finalStage(List<Instruction> all) {
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    /** {@code KEY=VALUE} words of an ENV or ARG instruction. */
    static Map<String, String> assignments(Instruction instruction) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String word : instruction.arguments().split("\\s+")) {
            int eq = word.indexOf('=');
            values.put(eq < 0 ? word : word.substring(0, eq), eq < 0 ? "" : word.substring(eq + 1));
        }
        return values;
    }

    /** The port of an http URL a probe asks, and its path. */
    record ProbeUrl(String host, int port, String path) {
        static ProbeUrl of(String url) {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("bin/probe asks http:// URLs only: " + url);
            }
            return new ProbeUrl(uri.getHost(), uri.getPort(), uri.getRawPath());
        }
    }
}
