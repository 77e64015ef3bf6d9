package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminHttpServiceTest {

    private static final String TOKEN = "0123456789abcdef-admin-token";

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemorySessions store = new InMemorySessions(new SessionPolicy(Duration.ofMinutes(5)), clock, 100);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private WebServer server;

    @BeforeEach
    void start() {
        for (int i = 0; i < 5; i++) {
            store.create(Session.opened(new ProxySessionId((i < 3 ? "alpha-" : "beta-") + i), i % 2 == 0 ? "one" : "two",
                    Optional.empty(), ProtocolVersion.V2025_06_18, new ClientInfo("client-" + i, "1"), clock.now()));
            clock.advance(Duration.ofSeconds(1));
        }
        ListSessionsQuery query = new ListSessionsQuery() {
            @Override
            public SessionPage listSessions(SessionQuery q) {
                return store.list(q);
            }

            @Override
            public Optional<Session> findSession(ProxySessionId id) {
                return store.find(id);
            }
        };
        EvictSessionUseCase evict = store::delete;
        AdminHttpService admin = new AdminHttpService(TOKEN, query, evict, () -> List.of(new UpstreamStatus("one",
                URI.create("http://127.0.0.1:1/mcp"), 1, true, UpstreamHealth.HEALTHY, "CLOSED", 2, List.of())), "instance-a", clock::now);
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", admin)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void refusesRequestsWithoutOrWithAWrongToken() throws Exception {
        assertThat(get("/api/sessions", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/api/sessions", "Bearer not-the-token-at-all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.body()).doesNotContain(TOKEN);
    }

    @Test
    void pagesThroughSessionsWithTheTotalAndFilters() throws Exception {
        HttpResponse<String> first = get("/api/sessions?limit=2", bearer());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"total\":5").contains("alpha-0").contains("alpha-1").doesNotContain("alpha-2");
        String cursor = first.body().replaceAll(".*\"nextCursor\":\"([^\"]+)\".*", "$1");

        HttpResponse<String> second = get("/api/sessions?limit=2&cursor=" + cursor, bearer());
        assertThat(second.body()).contains("alpha-2").contains("beta-3").doesNotContain("alpha-0");

        assertThat(get("/api/sessions?prefix=beta", bearer()).body()).contains("\"total\":2").doesNotContain("alpha");
        assertThat(get("/api/sessions?upstream=two", bearer()).body()).contains("\"total\":2").contains("alpha-1").contains("beta-3");
        assertThat(get("/api/sessions?limit=0", bearer()).statusCode()).isEqualTo(400);
    }

    @Test
    void showsOneSessionAndEndsIt() throws Exception {
        assertThat(get("/api/sessions/alpha-0", bearer()).body()).contains("\"clientName\":\"client-0\"").contains("\"upstream\":\"one\"");

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/api/sessions/alpha-0")).header("Authorization", bearer()).DELETE());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(store.find(new ProxySessionId("alpha-0"))).isEmpty();
        assertThat(get("/api/sessions/alpha-0", bearer()).statusCode()).isEqualTo(404);
    }

    @Test
    void showsUpstreamsAndStats() throws Exception {
        assertThat(get("/api/upstreams", bearer()).body()).contains("\"name\":\"one\"").contains("\"health\":\"HEALTHY\"").contains("\"inFlight\":2");
        assertThat(get("/api/stats", bearer()).body()).contains("\"instance\":\"instance-a\"").contains("\"sessions\":5");
    }

    @Test
    void theUiCookieWorksForReadsButStateChangesNeedTheSameOrigin() throws Exception {
        HttpResponse<String> login = get("/login?token=" + TOKEN, null);
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String cookieHeader = cookie.substring(0, cookie.indexOf(';'));

        assertThat(send(HttpRequest.newBuilder(uri("/api/stats")).header("Cookie", cookieHeader).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/api/sessions/beta-3")).header("Cookie", cookieHeader)
                .header("Origin", "https://evil.example").DELETE());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(store.find(new ProxySessionId("beta-3"))).isPresent();
        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(uri("/api/sessions/beta-3")).header("Cookie", cookieHeader)
                .header("Origin", "http://127.0.0.1:" + server.port()).DELETE());
        assertThat(sameOrigin.statusCode()).isEqualTo(204);
        assertThat(get("/login?token=wrong-token-value", null).statusCode()).isEqualTo(401);
    }

    private String bearer() {
        return "Bearer " + TOKEN;
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
