package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.in.DrainUpstreamUseCase;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Instant;
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

/**
 * The admin console over a real socket: behind the cookie (pages send a browser to the login form),
 * client and upstream text escaped, live streams before finished ones, state changes guarded by Origin.
 */
class AdminUiTest {

    private static final String TOKEN = "0123456789abcdef-admin-token";
    private static final String EVIL = "<script>alert(1)</script>";
    private static final String EVIL_DATA = "{\"text\":\"<img src=x onerror=alert(1)>\"}";
    private static final ProxySessionId EVIL_ID = new ProxySessionId("evil-1");
    /** A session with one open GET stream and 25 finished POST streams, the GET listed last by the log (it opened first). */
    private static final ProxySessionId BUSY_ID = new ProxySessionId("plain-3");
    private static final Instant OPENED = Instant.parse("2026-01-02T03:04:05Z");

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemorySessions store = new InMemorySessions(new SessionPolicy(Duration.ofMinutes(5)), clock, 100);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final java.util.concurrent.atomic.AtomicBoolean drained = new java.util.concurrent.atomic.AtomicBoolean();
    private final ConsoleTraffic traffic = new ConsoleTraffic(() -> 7, clock::now);
    private WebServer server;
    private String cookie;

    @BeforeEach
    void start() throws Exception {
        store.create(Session.opened(new ProxySessionId("evil-1"), "one", Optional.of(new UpstreamSessionId("up-\"1\"")),
                ProtocolVersion.V2025_06_18, new ClientInfo(EVIL, "1'\"&"), clock.now()));
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 55; i++) {
            store.create(Session.opened(new ProxySessionId("plain-" + i), "two", Optional.empty(), ProtocolVersion.V2025_06_18,
                    new ClientInfo("client-" + i, "1"), clock.now()));
            clock.advance(Duration.ofMillis(1));
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
                if (id.equals(BUSY_ID)) {
                    List<LogState> streams = new java.util.ArrayList<>();
                    for (int i = 24; i >= 0; i--) {
                        streams.add(new LogState(new StreamInfo(new StreamId("post-" + i), BUSY_ID, StreamKind.POST_RESPONSE, OPENED), 1, 1,
                                true, Optional.empty()));
                    }
                    streams.add(new LogState(new StreamInfo(new StreamId("the-get"), BUSY_ID, StreamKind.STANDALONE, OPENED), 1, 3, false,
                            Optional.empty()));
                    return streams;
                }
                return id.equals(EVIL_ID) ? List.of(
                        new LogState(new StreamInfo(new StreamId("stream-new"), EVIL_ID, StreamKind.STANDALONE, OPENED), 1, 4, false, Optional.empty()),
                        new LogState(new StreamInfo(new StreamId("stream-old"), EVIL_ID, StreamKind.POST_RESPONSE, OPENED), 2, 9, true, Optional.empty()))
                        : List.of();
            }

            @Override
            public List<SessionMessage> recentMessages(ProxySessionId id, int max) {
                return id.equals(EVIL_ID) ? List.of(
                        new SessionMessage(new StreamId("stream-new"), new LoggedEvent(4, Optional.of("<b>type"), EVIL_DATA, Optional.empty())),
                        new SessionMessage(new StreamId("stream-new"), new LoggedEvent(3, Optional.empty(), "x".repeat(3_000), Optional.empty())))
                        : List.of();
            }
        };
        EvictSessionUseCase evict = store::delete;
        DrainUpstreamUseCase drain = (name, drained) -> {
            if (!name.equals("one<i>")) {
                return false;
            }
            this.drained.set(drained);
            return true;
        };
        AdminHttpService admin = new AdminHttpService(TOKEN, Duration.ofHours(1), query, evict, () -> List.of(new UpstreamStatus("one<i>",
                "http://127.0.0.1:1/mcp", 3, true, UpstreamHealth.UNHEALTHY, "OPEN", 2, List.of(
                        new UpstreamStatus.RecentError(OPENED.plusSeconds(60), "connection refused <b>"),
                        new UpstreamStatus.RecentError(OPENED, "timed out")), drained.get(), 12, 5, Optional.of(clock.now().minusSeconds(3)),
                clock.now().minusSeconds(125), new UpstreamStatus.Era(io.mcprelay.domain.era.UpstreamEra.AUTO,
                        io.mcprelay.domain.era.EraVerdict.ofDiscoverResult(List.of("2026-07-28", "2025-11-25")), Optional.of(OPENED), false))),
                drain, "instance-a", clock::now, traffic,
                () -> List.of(new InterceptorStatus("hide<b>", "rule", "hide-tools", "tool=<script>", 42, 0)), "9.9.9");
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", admin)).build().start();
        String setCookie = send(HttpRequest.newBuilder(uri("/login?token=" + TOKEN)).GET()).headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pagesSendABrowserToTheLoginFormAndTheApiAnswers401() throws Exception {
        for (String path : List.of("/", "/sessions", "/sessions/evil-1", "/upstreams", "/interceptors")) {
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri(path)).GET());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).as(path).hasValue("/login");
            assertThat(send(HttpRequest.newBuilder(uri(path)).header("Cookie", "mcp_relay_admin=wrong-token-value").GET()).statusCode())
                    .as(path).isEqualTo(303);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/api/live")).GET()).statusCode()).isEqualTo(401);
        for (String path : List.of("/sessions/evil-1/terminate", "/upstreams/one%3Ci%3E/drain", "/logout")) {
            HttpResponse<String> post = send(HttpRequest.newBuilder(uri(path)).header("Origin", origin()).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(post.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(store.find(new ProxySessionId("evil-1"))).isPresent();
        assertThat(drained).isFalse();
    }

    @Test
    void theLoginFormSetsTheCookieAndLogOutEndsIt() throws Exception {
        HttpResponse<String> form = send(HttpRequest.newBuilder(uri("/login")).GET());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form class=\"login\" method=\"post\" action=\"/login\">").contains("type=\"password\"")
                .doesNotContain(TOKEN);

        HttpResponse<String> wrong = login("token=not-the-token-at-all", origin());
        HttpResponse<String> crossSite = login("token=" + TOKEN, "https://evil.example");
        HttpResponse<String> right = login("token=" + java.net.URLEncoder.encode(TOKEN, java.nio.charset.StandardCharsets.UTF_8), origin());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("id=\"login-error\"");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(crossSite.statusCode()).as("no other site may log a browser in").isEqualTo(403);
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue("/");
        String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
        String session = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(send(HttpRequest.newBuilder(uri("/")).header("Cookie", session).GET()).statusCode()).isEqualTo(200);
        assertThat(login("token=" + "x".repeat(5_000), origin()).statusCode()).as("the form is bounded").isEqualTo(413);

        HttpResponse<String> logout = send(HttpRequest.newBuilder(uri("/logout")).header("Cookie", session).header("Origin", origin())
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValue("/login");
        assertThat(logout.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(send(HttpRequest.newBuilder(uri("/api/stats")).header("Cookie", session).GET()).statusCode())
                .as("the handle is revoked, not just forgotten by the browser").isEqualTo(401);
        assertThat(page("/").statusCode()).as("another login is untouched").isEqualTo(200);
    }

    @Test
    void theOverviewHasTheHeaderCardsChartsAndUpstreams() throws Exception {
        HttpResponse<String> overview = page("/");

        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(overview.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(overview.body()).contains("<b id=\"instance\">instance-a</b>").contains("<b id=\"version\">9.9.9</b>")
                .contains("id=\"session-count\">56<").contains("<span id=\"open-streams\">7</span>")
                .contains("<svg id=\"chart-rate\"").contains("<svg id=\"chart-errors\"").contains("<svg id=\"chart-latency\"")
                .contains("<svg id=\"chart-open\"").contains("<script src=\"/console.js\" defer></script>")
                .contains("one&lt;i&gt;").contains("UNHEALTHY").contains("breaker OPEN").contains("2m 5s").contains("3s ago")
                .contains("refused &lt;b&gt;").doesNotContain("<i>").doesNotContain("<b>connection");
        assertThat(overview.body().split("<script").length - 1).as("the console's own script, nothing inline").isEqualTo(1);
    }

    @Test
    void theConsolesOwnStyleAndScriptAreServedWithoutLogin() throws Exception {
        HttpResponse<String> css = send(HttpRequest.newBuilder(uri("/console.css")).GET());
        HttpResponse<String> js = send(HttpRequest.newBuilder(uri("/console.js")).GET());

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(js.body()).contains("/api/live").as("the script builds nodes, never parses markup").doesNotContain("innerHTML =")
                .doesNotContain("insertAdjacentHTML").doesNotContain("https://");
        assertThat(js.body().replace("\"http://www.w3.org/2000/svg\"", "")).as("nothing loads from elsewhere (the SVG namespace is a name)")
                .doesNotContain("http://");
        assertThat(css.body()).doesNotContain("@import").doesNotContain("url(");
    }

    @Test
    void theLiveApiGivesFiveMinutesInFiveSecondSteps() throws Exception {
        traffic.window().record(TrafficWindow.Result.OK, Duration.ofMillis(3));
        traffic.window().record(TrafficWindow.Result.UPSTREAM_FAULT, Duration.ofMillis(400));
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> live = page("/api/live");

        assertThat(live.statusCode()).isEqualTo(200);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(live.body());
        assertThat(json.get("steps")).hasSize(60);
        assertThat(json.get("openStreams").asInt()).isEqualTo(7);
        assertThat(json.get("sessions").asLong()).isEqualTo(56);
        assertThat(json.get("upstreamFaultRate").asDouble()).isEqualTo(0.5);
        assertThat(json.get("p99Millis").asDouble()).isEqualTo(500);
        assertThat(json.get("steps").get(59).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void clientSuppliedTextIsEscapedInTheListAndTheDetail() throws Exception {
        traffic.sessions().record("evil-1", new SessionTraffic.Message(clock.now(), SessionTraffic.Direction.CLIENT_TO_UPSTREAM,
                "<script>tools/call</script>", Optional.of("<i>1"), Optional.of("200"), Optional.of(12L)));
        HttpResponse<String> list = page("/sessions?prefix=evil");
        HttpResponse<String> detail = page("/sessions/evil-1");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(EVIL)
                .contains("href=\"/sessions/evil-1\"").contains("1 session");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(EVIL)
                .contains("up-&quot;1&quot;").contains("1&#39;&quot;&amp;")
                .contains("action=\"/sessions/evil-1/terminate\"")
                .contains("&lt;script&gt;tools/call&lt;/script&gt;").contains("&lt;i&gt;1").doesNotContain("<script>tools");
        assertThat(page("/sessions?prefix=%3Cb%3E%22").body()).contains("value=\"&lt;b&gt;&quot;\"").doesNotContain("<b>\"");
        assertThat(AdminPages.escape("&<>\"'")).isEqualTo("&amp;&lt;&gt;&quot;&#39;");
    }

    @Test
    void theSessionPageShowsOpenStreamsFirstThenMessagesThenFinishedStreamsPaged() throws Exception {
        traffic.sessions().record("plain-3", new SessionTraffic.Message(clock.now(), SessionTraffic.Direction.CLIENT_TO_UPSTREAM,
                "tools/call", Optional.of("7"), Optional.of("200 SSE"), Optional.of(42L)));
        String first = page("/sessions/plain-3").body();

        assertThat(first).contains("Open streams (1)").contains("Finished streams (25)").contains("page 1 of 3")
                .contains("GET standalone").contains("tools/call").contains("42 ms").contains("client → upstream");
        assertThat(first.indexOf("the-get")).as("the open GET stream comes first").isLessThan(first.indexOf("id=\"traffic\""))
                .isLessThan(first.indexOf("post-24"));
        assertThat(first.split("<tr class=\"stream\">").length - 1).as("the open one and a page of finished ones").isEqualTo(11);
        assertThat(first).contains("post-15").doesNotContain("post-14<").contains("id=\"next-streams\"").doesNotContain("id=\"previous-streams\"");
        String last = page("/sessions/plain-3?finished=2").body();
        assertThat(last).contains("page 3 of 3").contains("post-4").contains("post-0").doesNotContain("post-5<")
                .contains("id=\"previous-streams\"").doesNotContain("id=\"next-streams\"");
        assertThat(page("/sessions/plain-3?finished=99").body()).as("out of range shows the last page").contains("page 3 of 3");
        assertThat(page("/sessions/plain-3?finished=x").statusCode()).isEqualTo(200);
    }

    @Test
    void theSessionPageShowsLoggedEventsEscapedAndCut() throws Exception {
        HttpResponse<String> detail = page("/sessions/evil-1");

        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("<td class=\"last-event-id mono\">stream-new:4</td>")
                .contains("<td class=\"last-event-id mono\">stream-old:9</td>").contains("<td class=\"retained num\">8</td>")
                .contains("datetime=\"2026-01-02T03:04:05Z\"");
        assertThat(detail.body()).contains("<pre>{&quot;text&quot;:&quot;&lt;img src=x onerror=alert(1)&gt;&quot;}</pre>")
                .doesNotContain("<img").contains("&lt;b&gt;type").contains("stream-new:4").contains("stream-new:3");
        assertThat(detail.body()).as("long data is cut").contains("<pre>" + "x".repeat(2_048) + "</pre>")
                .doesNotContain("x".repeat(2_049)).contains("first 2048 of 3000 characters");
        assertThat(detail.body().indexOf("stream-new:4<")).as("newest first").isLessThan(detail.body().indexOf("stream-new:3<"));
        assertThat(page("/sessions/plain-0").body()).contains("id=\"no-open-streams\"").contains("id=\"no-finished-streams\"")
                .contains("id=\"no-messages\"").contains("id=\"no-traffic\"");
    }

    @Test
    void theUpstreamsPageShowsStateCountsAndErrorsAndDrainsFromTheSameOriginOnly() throws Exception {
        HttpResponse<String> upstreams = page("/upstreams");

        assertThat(upstreams.statusCode()).isEqualTo(200);
        assertThat(upstreams.body()).contains("<span class=\"upstream-name\">one&lt;i&gt;</span>").contains("http://127.0.0.1:1/mcp")
                .contains("UNHEALTHY").contains("breaker OPEN").contains("<td class=\"num\">12</td>").contains("<td class=\"num\">5</td>")
                .contains("connection refused &lt;b&gt;").contains("timed out").contains("action=\"/upstreams/one%3Ci%3E/drain\"")
                .contains("<td class=\"era\">modern (2026-07-28, 2025-11-25), probed</td>")
                .doesNotContain("<b>").doesNotContain("<i>");

        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/upstreams/one%3Ci%3E/drain")).header("Cookie", cookie)
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(drained).isFalse();

        HttpResponse<String> drain = send(HttpRequest.newBuilder(uri("/upstreams/one%3Ci%3E/drain")).header("Cookie", cookie)
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(drain.statusCode()).isEqualTo(303);
        assertThat(drain.headers().firstValue("Location")).hasValue("/upstreams");
        assertThat(drained).isTrue();
        assertThat(page("/upstreams").body()).contains("DRAINED").contains("action=\"/upstreams/one%3Ci%3E/enable\"");

        HttpResponse<String> viaApi = send(HttpRequest.newBuilder(uri("/api/upstreams/one%3Ci%3E/enable")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(viaApi.statusCode()).isEqualTo(200);
        assertThat(drained).isFalse();
        assertThat(send(HttpRequest.newBuilder(uri("/upstreams/nope/drain")).header("Cookie", cookie).header("Origin", origin())
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/api/upstreams/nope/drain")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
    }

    @Test
    void theInterceptorsPageListsRulesWithTheirHitsEscaped() throws Exception {
        HttpResponse<String> interceptors = page("/interceptors");

        assertThat(interceptors.statusCode()).isEqualTo(200);
        assertThat(interceptors.body()).contains("hide&lt;b&gt;").contains("tool=&lt;script&gt;").contains("<td class=\"hits num\">42</td>")
                .doesNotContain("<script>");
        assertThat(AdminPages.interceptors(new AdminPages.Header("i", "1", OPENED, OPENED), List.of())).contains("every message passes unchanged");
    }

    @Test
    void theSessionListIsPaged() throws Exception {
        String first = page("/sessions").body();
        assertThat(first).contains("56 sessions").contains("evil-1").contains("plain-48").doesNotContain("plain-49<").doesNotContain("id=\"first\"");
        int href = first.indexOf("id=\"next\" href=\"") + "id=\"next\" href=\"".length();
        String next = first.substring(href, first.indexOf('"', href)).replace("&amp;", "&");
        String second = page(next).body();
        assertThat(second).contains("plain-49").contains("plain-54").doesNotContain("evil-1").doesNotContain("id=\"next\"")
                .contains("id=\"first\"");
        assertThat(page("/sessions/no-such-session").statusCode()).isEqualTo(404);
    }

    @Test
    void terminateEndsTheSessionOnlyFromTheSameOrigin() throws Exception {
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/sessions/evil-1/terminate")).header("Cookie", cookie)
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> noOrigin = send(HttpRequest.newBuilder(uri("/sessions/evil-1/terminate")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(store.find(new ProxySessionId("evil-1"))).isPresent();

        HttpResponse<String> terminated = send(HttpRequest.newBuilder(uri("/sessions/evil-1/terminate")).header("Cookie", cookie)
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(terminated.statusCode()).isEqualTo(303);
        assertThat(terminated.headers().firstValue("Location")).hasValue("/sessions");
        assertThat(store.find(new ProxySessionId("evil-1"))).isEmpty();
        assertThat(page("/sessions/evil-1").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> login(String form, String origin) throws Exception {
        return send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> page(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Cookie", cookie).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
