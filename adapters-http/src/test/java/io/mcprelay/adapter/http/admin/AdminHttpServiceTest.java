package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.bridge.BridgedSession;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
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
    private static final ProxySessionId ALPHA_0 = new ProxySessionId("alpha-0");
    private static final String LONG_DATA = "y".repeat(2_000) + "z".repeat(100);
    private static final LogState STREAM = new LogState(new StreamInfo(new StreamId("stream-1"), ALPHA_0, StreamKind.POST_RESPONSE,
            java.time.Instant.parse("2026-01-02T03:04:05Z")), 3, 7, true, Optional.of("up-7"));

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

            @Override
            public List<LogState> streamsOf(ProxySessionId id) {
                return id.equals(ALPHA_0) ? List.of(STREAM) : List.of();
            }

            @Override
            public List<SessionMessage> recentMessages(ProxySessionId id, int max) {
                assertThat(max).isEqualTo(ListSessionsQuery.MAX_RECENT_MESSAGES);
                return id.equals(ALPHA_0) ? List.of(
                        new SessionMessage(STREAM.stream().id(), new LoggedEvent(7, Optional.of("message"), LONG_DATA, Optional.of("up-7"))),
                        new SessionMessage(STREAM.stream().id(), new LoggedEvent(6, Optional.empty(), "<img src=x>", Optional.empty())))
                        : List.of();
            }
        };
        EvictSessionUseCase evict = store::delete;
        AdminHttpService admin = new AdminHttpService(TOKEN, query, evict, () -> List.of(new UpstreamStatus("one",
                URI.create("http://127.0.0.1:1/mcp"), 1, true, UpstreamHealth.HEALTHY, "CLOSED", 2, List.of())), "instance-a", clock::now,
                LiveView.NONE, () -> List.of(new InterceptorStatus("deny-env", "rule", "block", "method=tools/call tool=get-env", 3, 0),
                        new InterceptorStatus("audit", "code", "code", "request,response,event", 1, 2)));
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", admin)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void listsTheInterceptorsWithTheirHitCountsBehindTheToken() throws Exception {
        HttpResponse<String> interceptors = get("/api/interceptors", bearer());

        assertThat(get("/api/interceptors", null).statusCode()).isEqualTo(401);
        assertThat(interceptors.statusCode()).isEqualTo(200);
        assertThat(interceptors.body()).isEqualTo("[{\"name\":\"deny-env\",\"kind\":\"rule\",\"action\":\"block\","
                + "\"matches\":\"method=tools/call tool=get-env\",\"hits\":3,\"failures\":0},{\"name\":\"audit\",\"kind\":\"code\","
                + "\"action\":\"code\",\"matches\":\"request,response,event\",\"hits\":1,\"failures\":2}]");
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
        assertThat(get("/api/sessions/alpha-0", bearer()).body()).contains("\"clientName\":\"client-0\"").contains("\"upstream\":\"one\"").contains("\"owner\":\"unknown\"");

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/api/sessions/alpha-0")).header("Authorization", bearer()).DELETE());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(store.find(new ProxySessionId("alpha-0"))).isEmpty();
        assertThat(get("/api/sessions/alpha-0", bearer()).statusCode()).isEqualTo(404);
    }

    @Test
    void aBridgedSessionShowsNoUpstreamSessionIdNorItsBridgeState() throws Exception {
        BridgedSession state = BridgedSession.opened(JsonValue.obj("capabilities", JsonValue.obj("elicitation", JsonValue.Obj.EMPTY)));
        store.create(Session.opened(new ProxySessionId("gamma-9"), "one", state.slot(), ProtocolVersion.V2025_06_18,
                new ClientInfo("legacy-client", "1"), clock.now()));

        String body = get("/api/sessions/gamma-9", bearer()).body();

        assertThat(body).contains("\"upstreamSessionId\":null").contains("\"bridged\":true").doesNotContain(BridgedSession.PREFIX);
        assertThat(get("/api/sessions/alpha-0", bearer()).body()).contains("\"bridged\":false");
    }

    @Test
    void oneSessionComesWithItsStreamsAndRecentMessages() throws Exception {
        String body = get("/api/sessions/alpha-0", bearer()).body();

        assertThat(body).contains("\"streams\":[{\"id\":\"stream-1\",\"kind\":\"POST_RESPONSE\",\"openedAt\":\"2026-01-02T03:04:05Z\","
                + "\"firstSequence\":3,\"lastSequence\":7,\"retainedEvents\":5,\"complete\":true,\"lastEventId\":\"stream-1:7\"}]");
        assertThat(body).contains("{\"eventId\":\"stream-1:7\",\"type\":\"message\",\"data\":\"" + "y".repeat(2_000) + "z".repeat(48)
                + "\",\"truncated\":true}");
        assertThat(body).as("the upstream's own event id stays inside").doesNotContain("up-7");
        assertThat(body).contains("{\"eventId\":\"stream-1:6\",\"type\":null,\"data\":\"\\u003Cimg src=x\\u003E\",\"truncated\":false}");
        assertThat(get("/api/sessions/beta-3", bearer()).body()).contains("\"streams\":[]").contains("\"recentMessages\":[]");
    }

    @Test
    void showsUpstreamsAndStats() throws Exception {
        assertThat(get("/api/upstreams", bearer()).body()).contains("\"name\":\"one\"").contains("\"health\":\"HEALTHY\"").contains("\"inFlight\":2")
                .contains("\"era\":{\"configured\":\"auto\",\"serves\":\"unknown\",\"versions\":[],\"probedAt\":null}");
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

    @Test
    void theUiCookieHoldsAnExpiringHandleNeverTheToken() throws Exception {
        String cookie = get("/login?token=" + TOKEN, null).headers().firstValue("Set-Cookie").orElseThrow();
        String cookieHeader = cookie.substring(0, cookie.indexOf(';'));

        assertThat(cookie).doesNotContain(TOKEN).contains("Max-Age=" + Duration.ofHours(12).toSeconds());
        assertThat(cookieHeader.substring(cookieHeader.indexOf('=') + 1)).hasSizeGreaterThanOrEqualTo(43);
        assertThat(send(HttpRequest.newBuilder(uri("/api/stats")).header("Cookie", cookieHeader).GET()).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/api/stats")).header("Cookie", "mcp_relay_admin=" + TOKEN).GET()).statusCode())
                .as("the token itself is no cookie").isEqualTo(401);
        clock.advance(Duration.ofHours(12));
        assertThat(send(HttpRequest.newBuilder(uri("/api/stats")).header("Cookie", cookieHeader).GET()).statusCode())
                .as("the handle expired").isEqualTo(401);
        assertThat(get("/api/stats", bearer()).statusCode()).isEqualTo(200);
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
