package io.mcprelay.domain.auth;

import java.util.Optional;

/**
 * The access token of an {@code Authorization: Bearer ...} header (RFC 6750 §2.1), bounded in size
 * before anything parses it: a token longer than {@value #MAX_LENGTH} characters is refused as
 * invalid, never decoded.
 */
public final class BearerToken {

    /** Longest token read: far above what identity providers issue (a few KiB), far below a flood. */
    public static final int MAX_LENGTH = 8192;
    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** What an {@code Authorization} header holds, for a resource that takes bearer tokens. */
    public sealed interface Presented {
        /** No {@code Authorization} header, or one of another scheme. */
        record Absent() implements Presented { }
        /** A bearer header whose token cannot be one: empty, too long, repeated or with bad characters. */
        record Malformed(String why) implements Presented { }
        /** A token to verify. */
        record Token(String value) implements Presented { }
    }

    /** Reads {@code header}; the scheme compares case-insensitively (RFC 7235 §2.1). */
    public static Presented read(Optional<String> header) {
        if (header.isEmpty() || !header.get().regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new Presented.Absent();
        }
        String token = header.get().substring(SCHEME.length()).strip();
        if (token.isEmpty()) {
            return new Presented.Malformed("the bearer token is empty");
        }
        if (token.length() > MAX_LENGTH) {
            return new Presented.Malformed("the bearer token is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < token.length(); i++) {
            if (!isToken68(token.charAt(i))) {
                return new Presented.Malformed("the bearer token has characters a token cannot have");
            }
        }
        return new Presented.Token(token);
    }

    /** RFC 6750's b64token alphabet: letters, digits, {@code - . _ ~ + /} and trailing {@code =}. */
    private static boolean isToken68(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
    }
}
