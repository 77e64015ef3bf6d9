package io.mcprelay.domain.bridge;

import io.mcprelay.domain.era.RoutingValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The 2026-07-28 routing headers of a modern request (design note §2): {@code MCP-Protocol-Version},
 * {@code Mcp-Method}, {@code Mcp-Name} and one {@code Mcp-Param-{Name}} per tool argument whose property in the
 * tool's {@code inputSchema} says {@code "x-mcp-header": "{Name}"}, with the {@code =?base64?…?=} encoding of
 * values a header cannot carry as they are. Bridge (a) derives them for each request it sends upstream.
 */
public final class RoutingHeaders {

    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    public static final String METHOD = "Mcp-Method";
    public static final String NAME = "Mcp-Name";
    public static final String PARAM_PREFIX = "Mcp-Param-";

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final Set<String> HEADER_TYPES = Set.of("string", "integer", "boolean");
    private static final BigDecimal MAX_SAFE_INTEGER = BigDecimal.valueOf((1L << 53) - 1);

    private RoutingHeaders() {
    }

    /** A tool argument mirrored into {@code Mcp-Param-{header}}: its path of {@code properties} names from the schema's root. */
    public record HeaderProperty(String header, List<String> path) {
        public HeaderProperty {
            Objects.requireNonNull(header, "header");
            path = List.copyOf(path);
        }
    }

    /** What a tool's {@code inputSchema} says about headers: the mirrored properties, or why the tool must be dropped. */
    public sealed interface SchemaHeaders {
        record Valid(List<HeaderProperty> properties) implements SchemaHeaders {
            public Valid {
                properties = List.copyOf(properties);
            }
        }

        /** The schema breaks an {@code x-mcp-header} rule: HTTP clients MUST drop the tool from {@code tools/list}. */
        record Invalid(String reason) implements SchemaHeaders {
            public Invalid {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * The {@code x-mcp-header} declarations of {@code inputSchema}: each a non-empty token, case-insensitively
     * unique, on a {@code string}, {@code integer} or {@code boolean} property reached from the root through
     * {@code properties} alone (not under {@code items}, {@code oneOf}, {@code $ref} targets and the like).
     */
    public static SchemaHeaders headerProperties(JsonValue.Obj inputSchema) {
        List<HeaderProperty> found = new ArrayList<>();
        Optional<String> problem = walk(inputSchema, List.of(), true, found);
        if (problem.isPresent()) {
            return new SchemaHeaders.Invalid(problem.get());
        }
        Set<String> seen = new HashSet<>();
        for (HeaderProperty property : found) {
            if (!seen.add(property.header().toLowerCase(Locale.ROOT))) {
                return new SchemaHeaders.Invalid("x-mcp-header \"" + property.header() + "\" is declared twice");
            }
        }
        return new SchemaHeaders.Valid(found);
    }

    private static Optional<String> walk(JsonValue.Obj node, List<String> path, boolean reachable, List<HeaderProperty> found) {
        Optional<JsonValue> declared = node.get("x-mcp-header");
        if (declared.isPresent()) {
            if (!(declared.get() instanceof JsonValue.Str(String header)) || !isToken(header)) {
                return Optional.of("x-mcp-header at " + path + " is not a non-empty token");
            }
            if (!reachable || path.isEmpty()) {
                return Optional.of("x-mcp-header \"" + header + "\" is not on a property reached through properties alone");
            }
            if (!node.str("type").filter(HEADER_TYPES::contains).isPresent()) {
                return Optional.of("x-mcp-header \"" + header + "\" is on a property that is not string, integer or boolean");
            }
            found.add(new HeaderProperty(header, path));
        }
        for (Map.Entry<String, JsonValue> member : node.members().entrySet()) {
            Optional<String> problem = Optional.empty();
            if (member.getKey().equals("properties") && member.getValue() instanceof JsonValue.Obj properties) {
                for (Map.Entry<String, JsonValue> property : properties.members().entrySet()) {
                    if (problem.isEmpty() && property.getValue() instanceof JsonValue.Obj sub) {
                        List<String> subPath = new ArrayList<>(path);
                        subPath.add(property.getKey());
                        problem = walk(sub, subPath, reachable, found);
                    }
                }
            } else if (member.getValue() instanceof JsonValue.Obj sub) {
                problem = walk(sub, path, false, found);
            } else if (member.getValue() instanceof JsonValue.Arr array) {
                for (JsonValue element : array.elements()) {
                    if (problem.isEmpty() && element instanceof JsonValue.Obj sub) {
                        problem = walk(sub, path, false, found);
                    }
                }
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * The routing headers for a modern JSON-RPC request, in order: {@code MCP-Protocol-Version} (from
     * {@code params._meta}), {@code Mcp-Method}, {@code Mcp-Name} (for {@code tools/call}, {@code prompts/get}:
     * {@code params.name}; {@code resources/read}: {@code params.uri}; {@code tasks/get|update|cancel}:
     * {@code params.taskId}), and for {@code tools/call} one {@code Mcp-Param-*} per declared argument present and
     * not {@code null} in {@code params.arguments} (a value of another type than declared gets no header; the
     * upstream rejects the request).
     *
     * @param toolHeaders the called tool's header declarations (from the cached {@code tools/list}), none for other methods
     */
    public static Map<String, String> derive(JsonValue.Obj request, List<HeaderProperty> toolHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonValue.Obj params = request.obj("params").orElse(JsonValue.Obj.EMPTY);
        params.obj("_meta").flatMap(m -> m.str(ModernEnvelope.PROTOCOL_VERSION)).ifPresent(v -> headers.put(PROTOCOL_VERSION, v));
        String method = request.str("method").orElseThrow(() -> new IllegalArgumentException("not a request: no method"));
        headers.put(METHOD, method);
        String nameMember = switch (method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            case "tasks/get", "tasks/update", "tasks/cancel" -> "taskId";
            default -> null;
        };
        if (nameMember != null) {
            params.str(nameMember).ifPresent(name -> headers.put(NAME, encode(name)));
        }
        if (method.equals("tools/call")) {
            JsonValue.Obj arguments = params.obj("arguments").orElse(JsonValue.Obj.EMPTY);
            for (HeaderProperty property : toolHeaders) {
                valueAt(arguments, property.path()).flatMap(RoutingHeaders::headerValue)
                        .ifPresent(value -> headers.put(PARAM_PREFIX + property.header(), value));
            }
        }
        return headers;
    }

    private static Optional<JsonValue> valueAt(JsonValue.Obj arguments, List<String> path) {
        JsonValue current = arguments;
        for (String name : path) {
            if (!(current instanceof JsonValue.Obj obj) || obj.get(name).isEmpty()) {
                return Optional.empty();
            }
            current = obj.get(name).orElseThrow();
        }
        return Optional.of(current);
    }

    private static Optional<String> headerValue(JsonValue value) {
        return switch (value) {
            case JsonValue.Str(String s) -> Optional.of(encode(s));
            case JsonValue.Bool(boolean b) -> Optional.of(Boolean.toString(b));
            case JsonValue.Num num when num.isIntegral() && num.value().abs().compareTo(MAX_SAFE_INTEGER) <= 0 ->
                    Optional.of(num.value().toBigIntegerExact().toString());
            default -> Optional.empty();
        };
    }

    /**
     * A header value for {@code value}: as is, unless it has a non-ASCII or control character, leading or
     * trailing whitespace, or the shape of the sentinel; then {@code =?base64?<Base64 of UTF-8>?=}. The rules
     * are the era dispatch's ({@link RoutingValue#encode}); an empty value stays empty here.
     */
    public static String encode(String value) {
        return value.isEmpty() ? value : RoutingValue.encode(value);
    }

    /**
     * A header value decoded as the era dispatch decodes it ({@link RoutingValue#decode}): a sentinel's Base64
     * as strict UTF-8, a plain value as is; empty for a broken sentinel or a plain value that is not visible ASCII.
     */
    public static Optional<String> decode(String headerValue) {
        return RoutingValue.decode(headerValue);
    }


    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && TCHAR_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
