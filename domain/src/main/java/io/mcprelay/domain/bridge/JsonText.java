package io.mcprelay.domain.bridge;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@link JsonValue}s (RFC 8259). Parsing is strict (one value, nothing after it but
 * whitespace, no duplicate member names) and bounded in depth, so hostile input fails with an
 * {@link IllegalArgumentException} rather than a stack overflow.
 */
public final class JsonText {

    /** The deepest nesting of arrays and objects {@link #parse} accepts. */
    public static final int MAX_DEPTH = 128;

    private final String text;
    private int pos;

    private JsonText(String text) {
        this.text = text;
    }

    /**
     * The value {@code text} holds.
     *
     * @throws IllegalArgumentException if {@code text} is not exactly one well-formed JSON value, or nests deeper than {@link #MAX_DEPTH}
     */
    public static JsonValue parse(String text) {
        JsonText parser = new JsonText(text);
        JsonValue value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the value");
        }
        return value;
    }

    /** {@code text} parsed, which must be an object. */
    public static JsonValue.Obj parseObject(String text) {
        if (parse(text) instanceof JsonValue.Obj obj) {
            return obj;
        }
        throw new IllegalArgumentException("not a JSON object: " + text);
    }

    /** Compact JSON text; with {@code sortedMembers}, object members sorted by name and numbers normalised (a canonical form for digests). */
    public static String write(JsonValue value, boolean sortedMembers) {
        StringBuilder out = new StringBuilder();
        write(value, sortedMembers, out);
        return out.toString();
    }

    private static void write(JsonValue value, boolean canonical, StringBuilder out) {
        switch (value) {
            case JsonValue.Obj obj -> {
                Map<String, JsonValue> members = canonical ? new TreeMap<>(obj.members()) : obj.members();
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> member : members.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(member.getKey(), out);
                    out.append(':');
                    write(member.getValue(), canonical, out);
                }
                out.append('}');
            }
            case JsonValue.Arr arr -> {
                out.append('[');
                for (int i = 0; i < arr.elements().size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(arr.elements().get(i), canonical, out);
                }
                out.append(']');
            }
            case JsonValue.Str str -> quote(str.value(), out);
            case JsonValue.Num num -> out.append(!canonical ? num.value().toString()
                    : num.value().signum() == 0 ? "0" : num.value().stripTrailingZeros().toString());
            case JsonValue.Bool bool -> out.append(bool.value());
            case JsonValue.Null ignored -> out.append("null");
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private JsonValue value(int depth) {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new JsonValue.Str(string());
            case 't' -> literal("true", new JsonValue.Bool(true));
            case 'f' -> literal("false", new JsonValue.Bool(false));
            case 'n' -> literal("null", JsonValue.NULL);
            default -> number();
        };
    }

    private JsonValue.Obj object(int depth) {
        checkDepth(depth);
        pos++; // {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.Obj(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            if (members.put(name, value(depth)) != null) {
                throw error("duplicate member name \"" + name + "\"");
            }
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return new JsonValue.Obj(members);
            }
        }
    }

    private JsonValue.Arr array(int depth) {
        checkDepth(depth);
        pos++; // [
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.Arr(elements);
        }
        while (true) {
            elements.add(value(depth));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return new JsonValue.Arr(elements);
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = pos < text.length() ? text.charAt(pos++) : '?';
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException e) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private JsonValue literal(String word, JsonValue value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private JsonValue.Num number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (!token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("unexpected token");
        }
        try {
            return new JsonValue.Num(new BigDecimal(token));
        } catch (NumberFormatException outOfRange) {
            throw error("number out of range");
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Invalid JSON at offset " + pos + ": " + what);
    }
}
