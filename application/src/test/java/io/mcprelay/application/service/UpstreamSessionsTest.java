package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.domain.access.HeaderPolicy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What of the client's request travels with its upstream calls: the headers the policy lets through, and its validated token beside them. */
class UpstreamSessionsTest {

    @Test
    void whenClientsAuthenticateTheirTokenTravelsBesideTheHeadersNeverAsOne() {
        ClientContext context = UpstreamSessions.clientContext(Map.of("Authorization", "Bearer abc.def.ghi", "Mcp-Trace", "t",
                "Cookie", "a=1"), new HeaderPolicy(true, true));

        assertThat(context.subjectToken()).contains("abc.def.ghi");
        assertThat(context.values()).containsEntry("Mcp-Trace", "t").containsEntry("Cookie", "a=1").doesNotContainKey("Authorization");
        assertThat(context.toString()).doesNotContain("abc.def.ghi").contains("present");
    }

    @Test
    void withoutClientAuthenticationThereIsNoTokenEvenWhenAuthorizationIsForwarded() {
        ClientContext context = UpstreamSessions.clientContext(Map.of("authorization", "Bearer abc"), new HeaderPolicy(true, false));
        assertThat(context.subjectToken()).isEmpty();
        assertThat(context.values()).containsEntry("authorization", "Bearer abc");
        assertThat(ClientContext.NONE.toString()).contains("none");
    }

    @Test
    void onlyABearerTokenIsTaken() {
        assertThat(UpstreamSessions.bearerToken("bearer  tok ")).contains("tok");
        assertThat(UpstreamSessions.bearerToken("Basic dXNlcg==")).isEmpty();
        assertThat(UpstreamSessions.bearerToken("Bearer ")).isEmpty();
        assertThat(UpstreamSessions.bearerToken("Bearer a, Bearer b")).isEmpty();
        assertThat(UpstreamSessions.bearerToken("Bearer a b")).isEqualTo(Optional.empty());
    }
}
