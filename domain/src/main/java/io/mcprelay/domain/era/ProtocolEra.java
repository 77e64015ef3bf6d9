package io.mcprelay.domain.era;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The two eras of the MCP protocol. {@link #LEGACY}: the {@code initialize}-based revisions up to
 * 2025-11-25, with sessions, event ids and resumption. {@link #MODERN}: 2026-07-28 and later, where
 * every request carries its version and capabilities and no session exists.
 */
public enum ProtocolEra {
    MODERN,
    LEGACY;

    /** The first modern revision. */
    public static final String FIRST_MODERN = "2026-07-28";
    /** The modern revisions mcp-relay knows, oldest first. */
    public static final List<String> MODERN_VERSIONS = List.of(FIRST_MODERN);
    /** The label of each era in metrics and logs. */
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * The era a protocol version names: {@link #MODERN} for a date on or after {@value #FIRST_MODERN},
     * {@link #LEGACY} for anything else (an earlier date, or text that is no date at all, which the
     * legacy path refuses as it always did).
     */
    public static ProtocolEra of(String version) {
        String v = version.strip();
        return DATE.matcher(v).matches() && v.compareTo(FIRST_MODERN) >= 0 ? MODERN : LEGACY;
    }

    /**
     * Whether {@code version} names a revision of the legacy era: a date before {@value #FIRST_MODERN}.
     * Text that is no date at all is no revision of either era; where a body's modern envelope claims
     * it, the request is judged modern, and gets the modern era's "unsupported version" answer.
     */
    public static boolean isLegacyRevision(String version) {
        String v = version.strip();
        return DATE.matcher(v).matches() && v.compareTo(FIRST_MODERN) < 0;
    }

    /** The era of an optional version: {@link #LEGACY} when there is none. */
    public static ProtocolEra of(Optional<String> version) {
        return version.map(ProtocolEra::of).orElse(LEGACY);
    }

    /** The label used in metrics and logs: {@code modern} or {@code legacy}. */
    public String label() {
        return this == MODERN ? "modern" : "legacy";
    }
}
