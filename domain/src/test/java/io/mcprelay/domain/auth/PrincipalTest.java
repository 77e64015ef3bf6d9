package io.mcprelay.domain.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.session.ClientKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void ownsSessionsUnderItsSubject() {
        assertThat(Principal.of("alice", Set.of()).clientKey()).isEqualTo(ClientKey.ofPrincipal("alice"));
        assertThat(Principal.of("alice", Set.of()).clientKey().isPrincipal()).isTrue();
        assertThat(ClientKey.ofAddress("10.0.0.1").isPrincipal()).isFalse();
    }

    @Test
    void aSubjectIsBoundedAndPrintable() {
        assertThatThrownBy(() -> Principal.of("", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Principal.of("a\nb", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Principal.of("a".repeat(Principal.MAX_SUBJECT_LENGTH + 1), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Principal.of("a".repeat(Principal.MAX_SUBJECT_LENGTH), Set.of()).clientKey().value())
                .hasSizeLessThanOrEqualTo(ClientKey.MAX_LENGTH);
    }

    @Test
    void keepsOnlySmallScalarClaims() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("azp", "my-client");
        raw.put("age", 42);
        raw.put("admin", true);
        raw.put("roles", List.of("a", "b"));
        raw.put("big", "x".repeat(Principal.MAX_CLAIM_LENGTH + 1));

        assertThat(Principal.selectClaims(raw)).containsExactly(Map.entry("azp", "my-client"), Map.entry("age", "42"),
                Map.entry("admin", "true"));
    }

    @Test
    void requiredScopesNameWhatIsMissing() {
        ScopeRequirement required = new ScopeRequirement(Set.of("mcp:tools", "mcp:read"));

        assertThat(required.check(Principal.of("a", Set.of("mcp:tools", "mcp:read", "other")))).isEmpty();
        assertThat(required.check(Principal.of("a", Set.of("mcp:read")))).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(AuthRefusal.Kind.INSUFFICIENT_SCOPE);
            assertThat(refusal.errorCode()).isEqualTo("insufficient_scope");
            assertThat(refusal.detail()).contains("mcp:tools").doesNotContain("mcp:read");
        });
        assertThat(ScopeRequirement.NONE.check(Principal.of("a", Set.of()))).isEmpty();
        assertThat(new AuthRefusal(AuthRefusal.Kind.UNAVAILABLE, "the issuer cannot be asked now").errorCode())
                .as("a token that cannot be checked gets no RFC 6750 error code: it is not invalid").isEmpty();
        assertThat(required.asText()).isEqualTo("mcp:read mcp:tools");
    }
}
