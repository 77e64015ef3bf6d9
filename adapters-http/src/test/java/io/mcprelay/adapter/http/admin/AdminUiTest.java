package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
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

/** The server-rendered admin UI over a real socket: behind the cookie, client text escaped, terminate guarded by Origin. */
class AdminUiTest {

    private static final String TOKEN = "0123456789abcdef-admin-token";
    private static final String EVIL = "<script>alert(1)</script>";
    private static final String EVIL_DATA = "{\"text\":\"<img src=x onerror=alert(1)>\"}";
    private static final ProxySessionId EVIL_ID = new ProxySessionId("evil-1");
    private static final Instant OPENED = Instant.parse("2026-01-02T03:04:05Z");

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemorySessions store = new InMemorySessions(new SessionPolicy(Duration.ofMinutes(5)), clock, 100);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
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
        AdminHttpService admin = new AdminHttpService(TOKEN, query, evict, () -> List.of(new UpstreamStatus("one<i>",
                URI.create("http://127.0.0.1:1/mcp"), 3, true, UpstreamHealth.UNHEALTHY, "OPEN", 2, List.of(
                        new UpstreamStatus.RecentError(OPENED.plusSeconds(60), "connection refused <b>"),
                        new UpstreamStatus.RecentError(OPENED, "timed out")))), "instance-a", clock::now, LiveView.NONE,
                () -> List.of(new InterceptorStatus("hide<b>", "rule", "hide-tools", "tool=<script>", 42, 0)));
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", admin)).build().start();
        String setCookie = send(HttpRequest.newBuilder(uri("/login?token=" + TOKEN)).GET()).headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pagesNeedTheCookie() throws Exception {
        for (String path : List.of("/", "/sessions", "/sessions/evil-1", "/upstreams")) {
            assertThat(send(HttpRequest.newBuilder(uri(path)).GET()).statusCode()).as(path).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(uri(path)).header("Cookie", "mcp_relay_admin=wrong-token-value").GET()).statusCode())
                    .as(path).isEqualTo(401);
        }
        HttpResponse<String> terminate = send(HttpRequest.newBuilder(uri("/sessions/evil-1/terminate"))
                .header("Origin", "http://127.0.0.1:" + server.port()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(terminate.statusCode()).isEqualTo(401);
        assertThat(store.find(new ProxySessionId("evil-1"))).isPresent();
    }

    @Test
    void theOverviewShowsInstanceSessionsAndUpstreams() throws Exception {
        HttpResponse<String> overview = page("/");

        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(overview.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        assertThat(overview.body()).contains("instance-a").contains(">56<").contains("Upstreams");
        String rendered = AdminPages.overview("i", "1.0", clock.now(), Duration.ofSeconds(61), 0, List.of(new AdminPages.UpstreamRow(
                "one<i>", "http://127.0.0.1:1/mcp", 1, true, "HEALTHY", "HALF_OPEN", 3, Optional.of("2026 refused <b>"))), LiveView.NONE);
        assertThat(rendered).contains("one&lt;i&gt;").contains("HEALTHY").contains("HALF_OPEN").contains("<td>3</td>")
                .contains("refused &lt;b&gt;").contains("1m1s");
    }

    @Test
    void clientSuppliedTextIsEscapedInTheListAndTheDetail() throws Exception {
        HttpResponse<String> list = page("/sessions?prefix=evil");
        HttpResponse<String> detail = page("/sessions/evil-1");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(EVIL)
                .contains("href=\"/sessions/evil-1\"").contains("1 session");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(EVIL)
                .contains("up-&quot;1&quot;").contains("1&#39;&quot;&amp;")
                .contains("action=\"/sessions/evil-1/terminate\"");
        assertThat(page("/sessions?prefix=%3Cb%3E%22").body()).contains("value=\"&lt;b&gt;&quot;\"").doesNotContain("<b>\"");
        assertThat(AdminPages.escape("&<>\"'")).isEqualTo("&amp;&lt;&gt;&quot;&#39;");
    }

    @Test
    void theSessionPageShowsItsStreamsAndRecentMessagesEscaped() throws Exception {
        HttpResponse<String> detail = page("/sessions/evil-1");

        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("<table id=\"streams\">").contains("<td class=\"last-event-id\">stream-new:4</td>")
                .contains("<td class=\"last-event-id\">stream-old:9</td>").contains("<td class=\"retained\">8</td>").contains("STANDALONE").contains("2026-01-02T03:04:05Z");
        assertThat(detail.body()).contains("<pre>{&quot;text&quot;:&quot;&lt;img src=x onerror=alert(1)&gt;&quot;}</pre>")
                .doesNotContain("<img").contains("&lt;b&gt;type").contains("stream-new:4").contains("stream-new:3");
        assertThat(detail.body()).as("long data is cut").contains("<pre>" + "x".repeat(2_048) + "</pre>")
                .doesNotContain("x".repeat(2_049)).contains("first 2048 of 3000 characters");
        assertThat(detail.body().indexOf("stream-new:4")).as("newest first").isLessThan(detail.body().indexOf("stream-new:3"));
        assertThat(page("/sessions/plain-0").body()).contains("id=\"no-streams\"").contains("id=\"no-messages\"");
    }

    @Test
    void theUpstreamsPageListsUpstreamsWithTheirRecentErrors() throws Exception {
        HttpResponse<String> upstreams = page("/upstreams");

        assertThat(upstreams.statusCode()).isEqualTo(200);
        assertThat(upstreams.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(upstreams.body()).contains("<td class=\"upstream-name\">one&lt;i&gt;</td>").contains("http://127.0.0.1:1/mcp")
                .contains("<td>3</td>").contains("UNHEALTHY").contains("<td>OPEN</td>").contains("<td>2</td>")
                .contains("<time>2026-01-02T03:05:05Z</time> connection refused &lt;b&gt;").contains("<time>2026-01-02T03:04:05Z</time> timed out")
                .doesNotContain("<b>").doesNotContain("<i>");
        assertThat(page("/").body()).contains("href=\"/upstreams\"");
    }

    @Test
    void theInterceptorsPageListsRulesWithTheirHitsEscaped() throws Exception {
        HttpResponse<String> interceptors = page("/interceptors");

        assertThat(send(HttpRequest.newBuilder(uri("/interceptors")).GET()).statusCode()).isEqualTo(401);
        assertThat(interceptors.statusCode()).isEqualTo(200);
        assertThat(interceptors.body()).contains("hide&lt;b&gt;").contains("tool=&lt;script&gt;").contains("<td class=\"hits\">42</td>")
                .doesNotContain("<script>");
        assertThat(AdminPages.interceptors(List.of())).contains("every message passes unchanged");
    }

    @Test
    void theSessionListIsPaged() throws Exception {
        String first = page("/sessions").body();
        assertThat(first).contains("56 sessions").contains("evil-1").contains("plain-48").doesNotContain("plain-49<");
        String next = first.replaceAll("(?s).*id=\"next\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        String second = page(next).body();
        assertThat(second).contains("plain-49").contains("plain-54").doesNotContain("evil-1").doesNotContain("id=\"next\"");
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
                .header("Origin", "http://127.0.0.1:" + server.port()).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(terminated.statusCode()).isEqualTo(303);
        assertThat(terminated.headers().firstValue("Location")).hasValue("/sessions");
        assertThat(store.find(new ProxySessionId("evil-1"))).isEmpty();
        assertThat(page("/sessions/evil-1").statusCode()).isEqualTo(404);
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

    @Test
    void theOverviewShowsLiveNumbersAndTheLivePageChartsTheLastMinutes() {
        List<LiveView.Second> seconds = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            seconds.add(new LiveView.Second(1_000 + i, i < 240 ? 0 : 10, i < 240 ? 0 : 1, 12.5));
        }
        LiveView live = new LiveView() {
            @Override
            public List<Second> lastSeconds(int n) {
                return seconds.subList(seconds.size() - Math.min(n, seconds.size()), seconds.size());
            }

            @Override
            public int openStreams() {
                return 7;
            }
        };

        String overview = AdminPages.overview("i", "1.0", clock.now(), Duration.ofSeconds(5), 0, List.of(), live);
        String chart = AdminPages.live(live);

        assertThat(overview).contains("<span id=\"open-streams\">7</span>").contains("<span id=\"rate\">10.00</span>")
                .contains("<span id=\"error-rate\">10.0%</span>").contains("1.0");
        assertThat(chart).contains("<svg id=\"live-chart\"").contains("<polyline").contains("http-equiv=\"refresh\"")
                .doesNotContain("<script");
        assertThat(chart.split("<rect").length - 1).as("60 five-second bars").isEqualTo(60);
    }
}
