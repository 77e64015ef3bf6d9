package io.mcprelay.adapter.http.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.InterceptorStatusQuery;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin JSON API (see docs/admin.md), every route behind {@link AdminAccess}:
 * <ul>
 *   <li>{@code GET /api/sessions?limit=&cursor=&prefix=&upstream=}: a page of sessions and the total</li>
 *   <li>{@code GET /api/sessions/{id}}: one session, its live streams and its latest messages</li>
 *   <li>{@code DELETE /api/sessions/{id}}: end it (its client then gets 404)</li>
 *   <li>{@code GET /api/upstreams}: health, breaker, in flight, recent errors</li>
 *   <li>{@code GET /api/stats}: instance, uptime, sessions</li>
 *   <li>{@code GET /login?token=...}: sets the UI's cookie (HttpOnly, SameSite=Strict) and redirects to /</li>
 * </ul>
 * and the server-rendered UI ({@link AdminPages}): {@code GET /} (overview), {@code GET /sessions?prefix=&upstream=&cursor=},
 * {@code GET /sessions/{id}} (with its streams and latest messages), {@code GET /upstreams} and {@code POST /sessions/{id}/terminate} (a form; same-Origin rule as any cookie state change).
 */
public final class AdminHttpService implements HttpService {

    private static final io.helidon.http.HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");

    /** mcp-relay's version when none is given: from the jar manifest when packaged. */
    static final String VERSION = Optional.ofNullable(AdminHttpService.class.getPackage().getImplementationVersion()).orElse("development");

    private final AdminAccess access;
    private final LiveView live;
    private final ListSessionsQuery sessions;
    private final EvictSessionUseCase evict;
    private final UpstreamStatusQuery upstreams;
    private final InterceptorStatusQuery interceptors;
    private final String instanceId;
    private final Supplier<Instant> clock;
    private final Instant startedAt;
    private final String version;

    public AdminHttpService(String token, ListSessionsQuery sessions, EvictSessionUseCase evict, UpstreamStatusQuery upstreams,
                            String instanceId, Supplier<Instant> clock) {
        this(token, sessions, evict, upstreams, instanceId, clock, LiveView.NONE, List::of);
    }

    /**
     * @param live         the live numbers of the overview and the {@code /live} chart
     * @param interceptors the interception rules and code interceptors with their hit counts
     */
    public AdminHttpService(String token, ListSessionsQuery sessions, EvictSessionUseCase evict, UpstreamStatusQuery upstreams,
                            String instanceId, Supplier<Instant> clock, LiveView live, InterceptorStatusQuery interceptors) {
        this(token, AdminAccess.DEFAULT_HANDLE_TTL, sessions, evict, upstreams, instanceId, clock, live, interceptors);
    }

    /**
     * @param loginTtl how long a UI login lasts: its cookie holds a random handle that expires then,
     *                 never the token
     */
    public AdminHttpService(String token, Duration loginTtl, ListSessionsQuery sessions, EvictSessionUseCase evict,
                            UpstreamStatusQuery upstreams, String instanceId, Supplier<Instant> clock, LiveView live,
                            InterceptorStatusQuery interceptors) {
        this(token, loginTtl, sessions, evict, upstreams, instanceId, clock, live, interceptors, VERSION);
    }

    /** @param version mcp-relay's version as the build gave it, shown on the overview and in {@code /api/stats} */
    public AdminHttpService(String token, Duration loginTtl, ListSessionsQuery sessions, EvictSessionUseCase evict,
                            UpstreamStatusQuery upstreams, String instanceId, Supplier<Instant> clock, LiveView live,
                            InterceptorStatusQuery interceptors, String version) {
        this.version = Objects.requireNonNull(version, "version");
        this.interceptors = Objects.requireNonNull(interceptors, "interceptors");
        this.live = Objects.requireNonNull(live, "live");
        this.access = new AdminAccess(token, loginTtl, clock);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.evict = Objects.requireNonNull(evict, "evict");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.get();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/login", this::login)
                .any(this::authenticate)
                .get("/api/sessions", this::list)
                .get("/api/sessions/{id}", this::one)
                .delete("/api/sessions/{id}", this::delete)
                .get("/api/upstreams", (req, res) -> send(res, Status.OK_200, AdminJson.upstreams(upstreams.upstreamStatus())))
                .get("/api/stats", this::stats)
                .get("/api/interceptors", (req, res) -> send(res, Status.OK_200, AdminJson.interceptors(interceptors.interceptorStatus())))
                .get("/interceptors", (req, res) -> html(res, Status.OK_200, AdminPages.interceptors(interceptors.interceptorStatus())))
                .get("/", this::overviewPage)
                .get("/live", (req, res) -> html(res, Status.OK_200, AdminPages.live(live)))
                .get("/sessions", this::sessionsPage)
                .get("/sessions/{id}", this::sessionPage)
                .get("/upstreams", (req, res) -> html(res, Status.OK_200, AdminPages.upstreams(upstreams.upstreamStatus())))
                .post("/sessions/{id}/terminate", this::terminate);
    }

    private void overviewPage(ServerRequest req, ServerResponse res) {
        Instant now = clock.get();
        html(res, Status.OK_200, AdminPages.overview(instanceId, version, startedAt, Duration.between(startedAt, now),
                sessions.listSessions(SessionQuery.firstPage(1)).total(), upstreams.upstreamStatus().stream()
                        .map(u -> new AdminPages.UpstreamRow(u.name(), u.endpoint().toString(), u.weight(), u.enabled(), u.health().name(),
                                u.breaker(), u.inFlight(), u.recentErrors().stream().findFirst().map(e -> e.at() + " " + e.what())))
                        .toList(), live));
    }

    private void sessionsPage(ServerRequest req, ServerResponse res) {
        Optional<String> prefix = req.query().first("prefix").asOptional().filter(s -> !s.isBlank());
        Optional<String> upstream = req.query().first("upstream").asOptional().filter(s -> !s.isBlank());
        try {
            SessionQuery query = new SessionQuery(prefix, upstream, req.query().first("cursor").asOptional().filter(s -> !s.isBlank()), 50);
            html(res, Status.OK_200, AdminPages.sessions(sessions.listSessions(query), prefix, upstream));
        } catch (IllegalArgumentException e) {
            html(res, Status.BAD_REQUEST_400, AdminPages.message("Bad query", e.getMessage()));
        }
    }

    private void sessionPage(ServerRequest req, ServerResponse res) {
        Optional<io.mcprelay.domain.session.Session> session = sessionId(req).flatMap(sessions::findSession);
        if (session.isEmpty()) {
            html(res, Status.NOT_FOUND_404, AdminPages.message("No such session", "It has ended or never existed."));
        } else {
            ProxySessionId id = session.get().id();
            html(res, Status.OK_200, AdminPages.session(session.get(), sessions.streamsOf(id),
                    sessions.recentMessages(id, ListSessionsQuery.MAX_RECENT_MESSAGES)));
        }
    }

    private void terminate(ServerRequest req, ServerResponse res) {
        Optional<ProxySessionId> id = sessionId(req);
        if (id.isPresent() && evict.evict(id.get())) {
            res.header(HeaderNames.LOCATION, "/sessions");
            res.status(Status.SEE_OTHER_303).send();
        } else {
            html(res, Status.NOT_FOUND_404, AdminPages.message("No such session", "It has ended or never existed."));
        }
    }

    private void login(ServerRequest req, ServerResponse res) {
        Optional<String> token = req.query().first("token").asOptional();
        if (token.isEmpty() || !access.matches(token.get())) {
            unauthorized(res);
            return;
        }
        res.header(HeaderNames.SET_COOKIE, access.cookieFor(access.issueHandle()));
        res.header(HeaderNames.LOCATION, "/");
        res.status(Status.SEE_OTHER_303).send();
    }

    private void authenticate(ServerRequest req, ServerResponse res) {
        AdminAccess.Verdict verdict = access.authenticate(req);
        if (verdict == AdminAccess.Verdict.NONE) {
            unauthorized(res);
            return;
        }
        boolean changesState = !req.prologue().method().text().equals("GET") && !req.prologue().method().text().equals("HEAD");
        if (changesState && verdict == AdminAccess.Verdict.COOKIE && !AdminAccess.sameOrigin(req)) {
            send(res, Status.FORBIDDEN_403, AdminJson.error("cross-site request refused: send the Origin of this admin listener"));
            return;
        }
        res.next();
    }

    private void list(ServerRequest req, ServerResponse res) {
        SessionQuery query;
        try {
            int limit = req.query().first("limit").asOptional().map(Integer::parseInt).orElse(50);
            query = new SessionQuery(req.query().first("prefix").asOptional().filter(s -> !s.isBlank()),
                    req.query().first("upstream").asOptional().filter(s -> !s.isBlank()),
                    req.query().first("cursor").asOptional().filter(s -> !s.isBlank()), limit);
            send(res, Status.OK_200, AdminJson.page(sessions.listSessions(query)));
        } catch (IllegalArgumentException e) {
            send(res, Status.BAD_REQUEST_400, AdminJson.error("bad query: " + e.getMessage()));
        }
    }

    private void one(ServerRequest req, ServerResponse res) {
        Optional<ProxySessionId> id = sessionId(req);
        Optional<io.mcprelay.domain.session.Session> session = id.flatMap(sessions::findSession);
        if (session.isEmpty()) {
            send(res, Status.NOT_FOUND_404, AdminJson.error("no such session"));
        } else {
            send(res, Status.OK_200, AdminJson.session(session.get(), sessions.streamsOf(id.get()),
                    sessions.recentMessages(id.get(), ListSessionsQuery.MAX_RECENT_MESSAGES)));
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Optional<ProxySessionId> id = sessionId(req);
        if (id.isPresent() && evict.evict(id.get())) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            send(res, Status.NOT_FOUND_404, AdminJson.error("no such session"));
        }
    }

    private void stats(ServerRequest req, ServerResponse res) {
        var node = AdminJson.object();
        node.put("instance", instanceId);
        node.put("version", version);
        node.put("startedAt", startedAt.toString());
        node.put("uptimeSeconds", Duration.between(startedAt, clock.get()).toSeconds());
        node.put("sessions", sessions.listSessions(SessionQuery.firstPage(1)).total());
        send(res, Status.OK_200, node);
    }

    private static Optional<ProxySessionId> sessionId(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        return ProxySessionId.isWellFormed(raw) ? Optional.of(new ProxySessionId(raw)) : Optional.empty();
    }

    private static void unauthorized(ServerResponse res) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"mcp-relay admin\"");
        send(res, Status.UNAUTHORIZED_401, AdminJson.error("the admin token is missing or wrong"));
    }

    private static void html(ServerResponse res, Status status, String page) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(CONTENT_SECURITY_POLICY, AdminPages.CONTENT_SECURITY_POLICY);
        res.send(page.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void send(ServerResponse res, Status status, Object json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(AdminJson.bytes(json));
    }
}
