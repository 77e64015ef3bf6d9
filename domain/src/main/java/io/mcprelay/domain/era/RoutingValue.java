package io.mcprelay.domain.era;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The value encoding of 2026-07-28 routing headers ({@code Mcp-Name}, {@code Mcp-Param-*}): plain
 * ASCII as it is, anything else (non-ASCII or control characters, leading or trailing whitespace, a
 * value shaped like the sentinel) as {@code =?base64?<Base64 of UTF-8>?=}, markers exact and lower
 * case. Intermediaries must decode before they compare.
 */
public final class RoutingValue {

    static final String PREFIX = "=?base64?";
    static final String SUFFIX = "?=";
    /** Longer number texts are not compared (an integer within ±(2^53−1) needs 16 digits). */
    private static final int MAX_NUMBER = 64;

    private RoutingValue() {
    }

    /**
     * The value a header carries: decoded when it is a sentinel, as it is otherwise. Empty when the
     * value is not valid: a sentinel whose content is not strict Base64 of UTF-8, or a plain value with
     * a control character or a character outside visible ASCII and space.
     */
    public static Optional<String> decode(String raw) {
        if (isSentinel(raw)) {
            String inner = raw.substring(PREFIX.length(), raw.length() - SUFFIX.length());
            try {
                byte[] bytes = Base64.getDecoder().decode(inner);
                return Optional.of(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString());
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(raw);
    }

    /** The header form of {@code value}: the sentinel where the plain form would not survive, the value itself otherwise. */
    public static String encode(String value) {
        boolean plain = !value.isEmpty() && !isSentinel(value) && value.equals(value.strip());
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c < 0x7f;
        }
        if (plain) {
            return value;
        }
        return PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }

    /** Whether the value has the sentinel's shape. */
    static boolean isSentinel(String raw) {
        return raw.length() >= PREFIX.length() + SUFFIX.length() && raw.startsWith(PREFIX) && raw.endsWith(SUFFIX);
    }

    /**
     * Whether a decoded header value mirrors a JSON integer of the body, compared as numbers
     * ({@code 42} matches {@code 42.0} and {@code 4.2e1}), as the specification asks of integers.
     */
    public static boolean sameInteger(String header, String bodyLiteral) {
        if (header.length() > MAX_NUMBER || bodyLiteral.length() > MAX_NUMBER) {
            return false;
        }
        try {
            return new BigDecimal(header.strip()).compareTo(new BigDecimal(bodyLiteral.strip())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
