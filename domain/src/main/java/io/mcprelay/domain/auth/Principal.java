package io.mcprelay.domain.auth;

import io.mcprelay.domain.session.ClientKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a validated access token names: its subject, the scopes it grants, and the few claims rules
 * may match on. Sessions belong to the subject ({@link #clientKey()}), so that one principal can
 * never use another's session.
 *
 * @param subject the token's {@code sub}: 1 to {@value #MAX_SUBJECT_LENGTH} printable characters
 * @param scopes  the scopes it grants (at most {@value #MAX_SCOPES}, each without spaces)
 * @param claims  selected claims as text (at most {@value #MAX_CLAIMS}, each value at most
 *                {@value #MAX_CLAIM_LENGTH} characters); larger or structured claims are left out
 */
public record Principal(String subject, Set<String> scopes, Map<String, String> claims) {

    /** Leaves room for the {@code principal:} prefix within {@link ClientKey#MAX_LENGTH}. */
    public static final int MAX_SUBJECT_LENGTH = 180;
    public static final int MAX_SCOPES = 256;
    public static final int MAX_CLAIMS = 32;
    public static final int MAX_CLAIM_LENGTH = 256;

    public Principal {
        Objects.requireNonNull(subject, "subject");
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a subject is 1 to " + MAX_SUBJECT_LENGTH + " printable characters");
        }
        scopes = Set.copyOf(scopes);
        if (scopes.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("at most " + MAX_SCOPES + " scopes");
        }
        claims = Map.copyOf(claims);
        if (claims.size() > MAX_CLAIMS || claims.values().stream().anyMatch(v -> v.length() > MAX_CLAIM_LENGTH)) {
            throw new IllegalArgumentException("at most " + MAX_CLAIMS + " claims of at most " + MAX_CLAIM_LENGTH + " characters");
        }
    }

    /** A principal with no claims kept beyond its subject and scopes. */
    public static Principal of(String subject, Set<String> scopes) {
        return new Principal(subject, scopes, Map.of());
    }

    /** The owner key of the sessions this principal opens (and the key of its per-client quota). */
    public ClientKey clientKey() {
        return ClientKey.ofPrincipal(subject);
    }

    /** {@code true} if the token granted {@code scope}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * The claims of {@code raw} a rule may match on: text, numbers and booleans as text, within the
     * bounds of a principal; everything else (objects, arrays, long values) is left out.
     */
    public static Map<String, String> selectClaims(Map<String, ?> raw) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, ?> claim : raw.entrySet()) {
            if (kept.size() == MAX_CLAIMS) {
                break;
            }
            Object value = claim.getValue();
            if ((value instanceof String || value instanceof Number || value instanceof Boolean)
                    && value.toString().length() <= MAX_CLAIM_LENGTH && claim.getKey().length() <= MAX_CLAIM_LENGTH) {
                kept.put(claim.getKey(), value.toString());
            }
        }
        return kept;
    }
}
