package io.mcprelay.domain.jsonrpc;

import java.util.Objects;

/**
 * A JSON-RPC request id, kept exactly as the peer wrote it.
 *
 * <p>A numeric id keeps its JSON literal ({@code 0}, {@code 12345678901234567890}, {@code -7}), so it
 * is never widened, rounded or turned into a string; a string id keeps its value. {@code 0} and
 * {@code "0"} are different ids.
 */
public sealed interface RequestId {

    /** The id as a JSON token, ready to be written back into a JSON document. */
    String toJson();

    /** A numeric id; {@code literal} is the JSON number token as received. */
    record NumericId(String literal) implements RequestId {
        public NumericId {
            Objects.requireNonNull(literal, "literal");
            if (!isJsonNumber(literal)) {
                throw new IllegalArgumentException("not a JSON number: " + literal);
            }
        }

        @Override
        public String toJson() {
            return literal;
        }

        private static boolean isJsonNumber(String s) {
            int i = 0;
            int n = s.length();
            if (i < n && s.charAt(i) == '-') i++;
            int digits = i;
            while (i < n && isAsciiDigit(s.charAt(i))) i++;
            if (i == digits || (s.charAt(digits) == '0' && i - digits > 1)) return false;
            if (i < n && s.charAt(i) == '.') {
                int frac = ++i;
                while (i < n && isAsciiDigit(s.charAt(i))) i++;
                if (i == frac) return false;
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                int exp = i;
                while (i < n && isAsciiDigit(s.charAt(i))) i++;
                if (i == exp) return false;
            }
            return i == n;
        }

        /** JSON digits are ASCII only; {@link Character#isDigit} would also take e.g. Arabic-Indic digits. */
        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    /** A string id; {@code value} is the decoded string. */
    record StringId(String value) implements RequestId {
        public StringId {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toJson() {
            StringBuilder out = new StringBuilder(value.length() + 2).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
