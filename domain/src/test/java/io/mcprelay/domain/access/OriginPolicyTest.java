package io.mcprelay.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPolicyTest {

    private final OriginPolicy loopbackListener = OriginPolicy.forListener(true, List.of(), List.of());
    private final OriginPolicy publicListener = OriginPolicy.forListener(false, List.of("https://app.example.com"), List.of());

    private static Optional<RejectionReason> reason(Optional<Rejection> rejection) {
        return rejection.map(Rejection::reason);
    }

    @Test
    void requestWithoutOriginPasses() {
        assertThat(loopbackListener.check(Optional.empty(), Optional.of("localhost:8080"))).isEmpty();
        assertThat(publicListener.check(Optional.empty(), Optional.of("mcp.example.com"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost", "http://localhost:6274", "https://localhost:8443", "http://127.0.0.1:3000",
            "https://127.0.0.1", "http://[::1]:5173", "http://[::1]", "HTTP://LOCALHOST:80", " http://localhost:1 "})
    void loopbackOriginPassesOnAnyPort(String origin) {
        assertThat(loopbackListener.check(Optional.of(origin), Optional.empty())).isEmpty();
        assertThat(publicListener.check(Optional.of(origin), Optional.empty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://localhost.evil.example", "http://127.0.0.1.nip.io",
            "http://evil.example:80", "ws://localhost", "file://localhost", "null"})
    void foreignOriginIsForbidden(String origin) {
        Optional<Rejection> rejection = loopbackListener.check(Optional.of(origin), Optional.of("localhost"));

        assertThat(reason(rejection)).contains(RejectionReason.FORBIDDEN_ORIGIN);
        assertThat(rejection.get().requestId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa mple.com", "::::", "http://", "%zz", "http://[::1"})
    void malformedOriginIsRefused(String origin) {
        assertThat(reason(loopbackListener.check(Optional.of(origin), Optional.empty()))).contains(RejectionReason.FORBIDDEN_ORIGIN);
    }

    @Test
    void configuredOriginPassesIgnoringCaseAndTrailingSlash() {
        assertThat(publicListener.check(Optional.of("https://app.example.com"), Optional.empty())).isEmpty();
        assertThat(publicListener.check(Optional.of("HTTPS://App.Example.com/"), Optional.empty())).isEmpty();
    }

    @Test
    void configuredOriginMustMatchSchemeAndPort() {
        assertThat(reason(publicListener.check(Optional.of("http://app.example.com"), Optional.empty())))
                .contains(RejectionReason.FORBIDDEN_ORIGIN);
        assertThat(reason(publicListener.check(Optional.of("https://app.example.com:8443"), Optional.empty())))
                .contains(RejectionReason.FORBIDDEN_ORIGIN);
    }

    @Test
    void wildcardAllowsEveryOrigin() {
        OriginPolicy any = new OriginPolicy(Set.of("*"), false, false, Set.of());

        assertThat(any.check(Optional.of("https://evil.example"), Optional.empty())).isEmpty();
        assertThat(any.check(Optional.of("not even a URL"), Optional.empty())).isEmpty();
    }

    @Test
    void loopbackOriginIsForbiddenWhenLoopbackIsNotAllowed() {
        OriginPolicy strict = new OriginPolicy(Set.of("https://app.example.com"), false, false, Set.of());

        assertThat(reason(strict.check(Optional.of("http://localhost:3000"), Optional.empty())))
                .contains(RejectionReason.FORBIDDEN_ORIGIN);
        assertThat(strict.check(Optional.of("https://app.example.com"), Optional.empty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:3000", "[::1]", "[::1]:8080", "LOCALHOST:1", " localhost "})
    void loopbackHostPassesWhenHostIsChecked(String host) {
        assertThat(loopbackListener.check(Optional.empty(), Optional.of(host))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io:80", "[::2]:80"})
    void foreignHostIsForbiddenWhenHostIsChecked(String host) {
        assertThat(reason(loopbackListener.check(Optional.empty(), Optional.of(host)))).contains(RejectionReason.FORBIDDEN_HOST);
    }

    @Test
    void foreignHostPassesWhenHostIsNotChecked() {
        assertThat(publicListener.check(Optional.empty(), Optional.of("evil.example"))).isEmpty();
    }

    @Test
    void configuredHostPassesWithOrWithoutPort() {
        OriginPolicy policy = OriginPolicy.forListener(true, List.of(), List.of("MCP.internal", "proxy.internal:9000"));

        assertThat(policy.check(Optional.empty(), Optional.of("mcp.internal"))).isEmpty();
        assertThat(policy.check(Optional.empty(), Optional.of("mcp.internal:8080"))).isEmpty();
        assertThat(policy.check(Optional.empty(), Optional.of("proxy.internal:9000"))).isEmpty();
        assertThat(reason(policy.check(Optional.empty(), Optional.of("proxy.internal:9001")))).contains(RejectionReason.FORBIDDEN_HOST);
    }

    @Test
    void absentHostPassesEvenWhenChecked() {
        assertThat(loopbackListener.check(Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void originIsCheckedBeforeHost() {
        assertThat(reason(loopbackListener.check(Optional.of("https://evil.example"), Optional.of("evil.example"))))
                .contains(RejectionReason.FORBIDDEN_ORIGIN);
    }

    @Test
    void detailIsPrintableAndClipped() {
        Optional<Rejection> rejection = loopbackListener.check(Optional.of("https://evil\u0007.example/" + "x".repeat(300)), Optional.empty());

        assertThat(rejection.get().detail()).doesNotContain("\u0007").hasSizeLessThan(150);
    }
}
