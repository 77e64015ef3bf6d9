package io.mcprelay.adapter.stdio;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a stdio server starts with: not the relay's (which may hold its own secrets, such
 * as a Redis password or an admin token), but the few variables a program needs to find its tools
 * and write text, taken from the relay's environment when set, then the upstream's configured
 * variables on top (they win).
 */
final class ProcessEnvironment {

    /**
     * Passed through from the relay when set: {@code PATH} (so {@code npx}, {@code node},
     * {@code uvx} are found), {@code HOME} (caches such as npm's live there), {@code USER},
     * {@code LANG}, {@code LC_ALL}, {@code TMPDIR}, {@code TZ}.
     */
    static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ");

    private ProcessEnvironment() {
    }

    /** The minimal set from {@code relay}, then {@code configured} on top. */
    static Map<String, String> of(Map<String, String> relay, Map<String, String> configured) {
        Map<String, String> env = new TreeMap<>();
        for (String name : INHERITED) {
            String value = relay.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(configured);
        return env;
    }

    /** Configured values shorter than this are left in texts: hiding "1" or "on" would garble them, and secrets are longer. */
    static final int SECRET_MIN_LENGTH = 4;

    /**
     * {@code text} with every configured value of at least {@value #SECRET_MIN_LENGTH} characters
     * replaced by {@code ********}: the configured environment typically holds API keys, and a server
     * that fails often prints them (its last stderr line goes to the client).
     */
    static String redact(String text, Map<String, String> configured) {
        String redacted = text;
        for (String value : configured.values()) {
            if (value.length() >= SECRET_MIN_LENGTH) {
                redacted = redacted.replace(value, "********");
            }
        }
        return redacted;
    }
}
