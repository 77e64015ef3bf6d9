package io.mcprelay.adapter.http.out.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.port.out.upstream.ClientContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials token and the exchanged tokens: fetched once, kept until shortly before expiry, bounded. */
class TokenCachesTest {

    private FakeTokenEndpoint fake;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void start() throws Exception {
        fake = new FakeTokenEndpoint();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private TokenEndpoint endpoint() {
        return new TokenEndpoint(fake.url(), "relay", "secret", TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, Duration.ofSeconds(15));
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private static ClientContext client(String token) {
        return new ClientContext(Map.of(), Optional.of(token));
    }

    @Test
    void aClientCredentialsTokenIsKeptUntilShortlyBeforeItExpiresThenFetchedAgain() throws Exception {
        ClientCredentialsGrant grant = new ClientCredentialsGrant("api", endpoint(), Optional.of("read"), Optional.of("https://api"),
                Optional.of("https://api/mcp"), now::get);
        fake.answer(FakeTokenEndpoint.token("first", 600));

        assertThat(grant.headers(ClientContext.NONE)).containsExactly(Map.entry("Authorization", "Bearer first"));
        advance(Duration.ofSeconds(539));
        fake.answer(FakeTokenEndpoint.token("second", 600));
        assertThat(grant.headers(ClientContext.NONE)).containsEntry("Authorization", "Bearer first");
        assertThat(fake.requests()).hasSize(1);
        assertThat(TokenEndpointTest.form(fake.requests().getFirst().form())).containsEntry("grant_type", "client_credentials")
                .containsEntry("scope", "read").containsEntry("audience", "https://api").containsEntry("resource", "https://api/mcp");

        advance(Duration.ofSeconds(2));    // within 60 s of expiry: refreshed
        assertThat(grant.headers(ClientContext.NONE)).containsEntry("Authorization", "Bearer second");
        assertThat(fake.requests()).hasSize(2);
        assertThat(grant.toString()).doesNotContain("first", "second", "secret");
    }

    @Test
    void aFailedRefreshKeepsTheUnexpiredTokenAndAsksAgainOnlyAfterAPause() throws Exception {
        ClientCredentialsGrant grant = new ClientCredentialsGrant("api", endpoint(), Optional.empty(), Optional.empty(), Optional.empty(), now::get);
        fake.answer(FakeTokenEndpoint.token("held", 100));
        grant.headers(ClientContext.NONE);
        advance(Duration.ofSeconds(95));
        fake.answer(new FakeTokenEndpoint.Answer(503, "down", 0));

        assertThat(grant.headers(ClientContext.NONE)).containsEntry("Authorization", "Bearer held");
        assertThat(grant.headers(ClientContext.NONE)).containsEntry("Authorization", "Bearer held");
        assertThat(fake.requests()).as("one failed try per pause").hasSize(2);

        advance(Duration.ofMillis(5_500));    // expired: the endpoint is asked again, and its failure is the answer
        assertThatThrownBy(() -> grant.headers(ClientContext.NONE)).isInstanceOfSatisfying(CredentialsException.class,
                e -> assertThat(e.refused()).isFalse());
        assertThat(fake.requests()).hasSize(3);
        assertThatThrownBy(() -> grant.headers(ClientContext.NONE)).as("the failure remembered: refused at once")
                .isInstanceOf(CredentialsException.class);
        assertThat(fake.requests()).hasSize(3);
        advance(ClientCredentialsGrant.RETRY_AFTER);
        fake.answer(FakeTokenEndpoint.token("back", 100));
        assertThat(grant.headers(ClientContext.NONE)).containsEntry("Authorization", "Bearer back");
    }

    @Test
    void aTokenWithoutALifetimeIsKeptAMinute() throws Exception {
        ClientCredentialsGrant grant = new ClientCredentialsGrant("api", endpoint(), Optional.empty(), Optional.empty(), Optional.empty(), now::get);
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"a\"}", 0));
        grant.headers(ClientContext.NONE);
        advance(Duration.ofSeconds(50));
        grant.headers(ClientContext.NONE);
        assertThat(fake.requests()).hasSize(1);
        advance(Duration.ofSeconds(5));
        grant.headers(ClientContext.NONE);
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void concurrentRequestsShareOneFetch() throws Exception {
        ClientCredentialsGrant grant = new ClientCredentialsGrant("api", endpoint(), Optional.empty(), Optional.empty(), Optional.empty());
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"shared\",\"expires_in\":300}", 300));
        assertThat(concurrently(20, () -> grant.headers(ClientContext.NONE).get("Authorization"))).containsOnly("Bearer shared");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void tokensAreExchangedOncePerClientTokenAndNeverSentAsTheyAre() throws Exception {
        TokenExchange exchange = new TokenExchange("docs", endpoint(), Optional.of("https://docs"), Optional.empty(), Optional.of("read"),
                100, now::get);
        fake.answer(FakeTokenEndpoint.token("for-docs-1", 3600));
        assertThat(exchange.headers(client("alice-token"))).containsEntry("Authorization", "Bearer for-docs-1");
        fake.answer(FakeTokenEndpoint.token("for-docs-2", 3600));
        assertThat(exchange.headers(client("alice-token"))).containsEntry("Authorization", "Bearer for-docs-1");
        assertThat(exchange.headers(client("bob-token"))).containsEntry("Authorization", "Bearer for-docs-2");

        Map<String, String> form = TokenEndpointTest.form(fake.requests().getFirst().form());
        assertThat(form).containsEntry("grant_type", TokenExchange.GRANT).containsEntry("subject_token", "alice-token")
                .containsEntry("subject_token_type", TokenExchange.ACCESS_TOKEN_TYPE).containsEntry("audience", "https://docs")
                .containsEntry("scope", "read");
        assertThat(fake.requests()).hasSize(2);

        advance(TokenExchange.MAX_LIFETIME);    // kept at most five minutes, whatever the token's lifetime
        fake.answer(FakeTokenEndpoint.token("for-docs-3", 3600));
        assertThat(exchange.headers(client("alice-token"))).containsEntry("Authorization", "Bearer for-docs-3");
    }

    @Test
    void withoutAClientTokenNothingCanBeExchanged() {
        TokenExchange exchange = new TokenExchange("docs", endpoint(), Optional.empty(), Optional.of("https://docs/mcp"), Optional.empty(), 10);
        assertThatThrownBy(() -> exchange.headers(ClientContext.NONE)).isInstanceOfSatisfying(CredentialsException.class,
                e -> assertThat(e.refused()).isTrue());
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aRefusedExchangeIsNotKept() throws Exception {
        TokenExchange exchange = new TokenExchange("docs", endpoint(), Optional.of("https://docs"), Optional.empty(), Optional.empty(), 10, now::get);
        fake.answer(new FakeTokenEndpoint.Answer(400, "{\"error\":\"invalid_grant\"}", 0));
        assertThatThrownBy(() -> exchange.headers(client("t"))).hasMessageContaining("invalid_grant");
        fake.answer(FakeTokenEndpoint.token("ok", 60));
        assertThat(exchange.headers(client("t"))).containsEntry("Authorization", "Bearer ok");
    }

    @Test
    void theExchangedTokensKeptAreBounded() throws Exception {
        TokenExchange exchange = new TokenExchange("docs", endpoint(), Optional.of("https://docs"), Optional.empty(), Optional.empty(), 3, now::get);
        for (int i = 0; i < 10; i++) {
            exchange.headers(client("client-" + i));
            assertThat(exchange.size()).isLessThanOrEqualTo(3);
        }
        assertThat(fake.requests()).hasSize(10);
    }

    @Test
    void concurrentRequestsWithOneClientTokenShareOneExchange() throws Exception {
        TokenExchange exchange = new TokenExchange("docs", endpoint(), Optional.of("https://docs"), Optional.empty(), Optional.empty(), 10);
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"one\",\"expires_in\":300}", 300));
        assertThat(concurrently(20, () -> exchange.headers(client("same")).get("Authorization"))).containsOnly("Bearer one");
        assertThat(fake.requests()).hasSize(1);

        fake.answer(new FakeTokenEndpoint.Answer(503, "", 300));
        assertThat(concurrently(10, () -> {
            try {
                return exchange.headers(client("other")).get("Authorization");
            } catch (CredentialsException e) {
                return e.refused() ? "refused" : "unavailable";
            }
        })).containsOnly("unavailable");
    }

    @Test
    void severalPartsMakeOneSetOfHeadersTheLaterWinning() throws Exception {
        UpstreamCredentials all = UpstreamCredentials.all(List.of(new StaticHeaders(Map.of("X-Key", "k", "authorization", "old")),
                c -> Map.of("Authorization", "Bearer new")));
        assertThat(all.headers(ClientContext.NONE)).containsOnly(Map.entry("X-Key", "k"), Map.entry("Authorization", "Bearer new"));
        assertThat(UpstreamCredentials.all(List.of())).isSameAs(UpstreamCredentials.NONE);
        assertThatThrownBy(() -> new StaticHeaders(Map.of("Bad Name", "x"))).hasMessageContaining("not a header name");
        assertThatThrownBy(() -> new StaticHeaders(Map.of("X-Key", "a\r\nb"))).hasMessageContaining("control characters");
        assertThat(new StaticHeaders(Map.of("X-Key", "hidden")).toString()).doesNotContain("hidden");
    }

    private static List<String> concurrently(int n, Callable<String> call) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
