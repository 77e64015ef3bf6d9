package io.mcprelay.domain.intercept;

import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What a configured rule does to a message it matches. */
public sealed interface RuleAction {

    /** The name used in configuration. */
    String configName();

    /**
     * Answers a request with a JSON-RPC error and does not call the upstream; a blocked
     * notification is acknowledged and dropped.
     */
    record Block(int code, String message) implements RuleAction {
        /** The code used when none is configured: {@value}, in the JSON-RPC server range. */
        public static final int DEFAULT_CODE = -32003;
        /** The message used when none is configured. */
        public static final String DEFAULT_MESSAGE = "Blocked by the gateway's policy";

        public Block {
            requireText(message, "message");
        }

        @Override
        public String configName() {
            return "block";
        }
    }

    /** Answers a request with {@code resultJson} as its {@code result}, without the upstream. */
    record Mock(String resultJson) implements RuleAction {
        public Mock {
            requireText(resultJson, "result");
        }

        @Override
        public String configName() {
            return "mock";
        }
    }

    /**
     * Removes the tools whose names match from {@code tools/list} results, and answers calls to them
     * as calls to an unknown tool, without the upstream.
     */
    record HideTools(List<Glob> tools) implements RuleAction {
        /** The JSON-RPC code a call to a hidden tool gets: invalid params, as for an unknown tool. */
        public static final int UNKNOWN_TOOL_CODE = JsonRpcErrorCodes.INVALID_PARAMS;

        public HideTools {
            tools = List.copyOf(tools);
            if (tools.isEmpty()) {
                throw new IllegalArgumentException("hide-tools needs at least one tool name");
            }
        }

        /** {@code true} if {@code tool} is hidden. */
        public boolean hides(String tool) {
            return tools.stream().anyMatch(g -> g.matches(tool));
        }

        @Override
        public String configName() {
            return "hide-tools";
        }
    }

    /**
     * Replaces the value at a JSON Pointer (RFC 6901) with {@code replacementJson}; a message
     * without that member passes unchanged.
     */
    record Redact(String pointer, String replacementJson) implements RuleAction {
        /** The replacement used when none is configured. */
        public static final String DEFAULT_REPLACEMENT = "\"[REDACTED]\"";

        public Redact {
            Objects.requireNonNull(pointer, "pointer");
            if (!isJsonPointer(pointer) || pointer.isEmpty()) {
                throw new IllegalArgumentException("not a JSON Pointer to a member (RFC 6901, e.g. /params/arguments/password): " + pointer);
            }
            requireText(replacementJson, "replacement");
        }

        @Override
        public String configName() {
            return "redact";
        }
    }

    /** Holds the message for {@code duration}, then lets it go on. */
    record Delay(Duration duration) implements RuleAction {
        /** The longest delay accepted, so a rule cannot hold a request past every timeout. */
        public static final Duration MAX = Duration.ofSeconds(60);

        public Delay {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("a delay is more than 0 and at most " + MAX.toSeconds() + "s, not " + duration);
            }
        }

        @Override
        public String configName() {
            return "delay";
        }
    }

    /** {@code true} for "" or a sequence of {@code /token}s whose {@code ~} escapes are {@code ~0} or {@code ~1}. */
    static boolean isJsonPointer(String pointer) {
        if (pointer.isEmpty()) {
            return true;
        }
        if (pointer.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < pointer.length(); i++) {
            if (pointer.charAt(i) == '~') {
                if (i + 1 >= pointer.length() || (pointer.charAt(i + 1) != '0' && pointer.charAt(i + 1) != '1')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
