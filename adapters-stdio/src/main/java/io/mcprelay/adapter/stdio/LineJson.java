package io.mcprelay.adapter.stdio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for one line a process wrote. The adapter routes by a handful of
 * members ({@code id}, {@code method}, {@code params.progressToken}…), so it needs a tree, not a
 * binding; keeping the parser here keeps the module free of a JSON framework. Lines are already
 * bounded in length ({@link LineReader}); nesting is bounded by {@link #MAX_DEPTH}.
 *
 * <p>Values: {@link Map} (object, member order kept), {@link List}, {@link String},
 * {@link Number} (the literal as written), {@link Boolean}, {@link #NULL}.
 */
final class LineJson {

    /** Deeper nesting is refused rather than risking the reader's stack. */
    static final int MAX_DEPTH = 128;

    /** JSON's {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number kept as its literal, so an id like {@code 12345678901234567890} is never rounded. */
    record Number(String literal) {
    }

    /** Thrown for text that is not one JSON value. */
    static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int pos;

    private LineJson(String text) {
        this.text = text;
    }

    /** Parses exactly one JSON value (surrounding whitespace allowed). */
    static Object parse(String text) throws NotJson {
        LineJson p = new LineJson(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.fail("text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws NotJson {
        if (depth > MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw fail("unexpected end");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw fail("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws NotJson {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw fail("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw fail("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws NotJson {
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw fail("expected ',' or ']'");
            }
        }
    }

    private String string() throws NotJson {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw fail("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw fail("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw fail("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw fail("bad escape '\\" + e + "'");
            }
        }
    }

    private Number number() throws NotJson {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = pos;
        while (isDigit(peek())) {
            pos++;
        }
        if (pos == digits || (text.charAt(digits) == '0' && pos - digits > 1)) {
            throw fail("bad number");
        }
        if (peek() == '.') {
            pos++;
            int frac = pos;
            while (isDigit(peek())) {
                pos++;
            }
            if (pos == frac) {
                throw fail("bad number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            int exp = pos;
            while (isDigit(peek())) {
                pos++;
            }
            if (pos == exp) {
                throw fail("bad number");
            }
        }
        return new Number(text.substring(start, pos));
    }

    private Object literal(String word, Object value) throws NotJson {
        if (!text.startsWith(word, pos)) {
            throw fail("unexpected word");
        }
        pos += word.length();
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() throws NotJson {
        if (pos >= text.length()) {
            throw fail("unexpected end");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) throws NotJson {
        if (next() != c) {
            throw fail("expected '" + c + "'");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private NotJson fail(String why) {
        return new NotJson(why + " at offset " + pos);
    }
}
