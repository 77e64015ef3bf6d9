package io.mcprelay.adapter.http.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.in.DrainUpstreamUseCase;
import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.InterceptorStatusQuery;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin listener (see docs/admin.md): the JSON API and the console ({@link ConsoleHandlers}),
 * every route but the login page and the console's stylesheet and script behind {@link AdminAccess}:
 * <ul>
 *   <li>{@code GET /api/sessions?limit=&cursor=&prefix=&upstream=}: a page of sessions and the total</li>
 *   <li>{@code GET /api/sessions/{id}}: one session, its live streams and its latest messages</li>
 *   <li>{@code DELETE /api/sessions/{id}}: end it (its client then gets 404)</li>
 *   <li>{@code GET /api/upstreams}: health, breaker, drained, counts, last check, in flight, recent errors</li>
 *   <li>{@code POST /api/upstreams/{name}/drain}, {@code .../enable}: take it out of rotation for new sessions, or back</li>
 *   <li>{@code GET /api/stats}: instance, uptime, sessions; {@code GET /api/live}: the charts' numbers</li>
 *   <li>{@code GET /login}: the login form; {@code POST /login}: the form's token sets the console's cookie;
 *       {@code GET /login?token=...}: the same from the start-up link; {@code POST /logout}: ends the login</li>
 * </ul>
 * Anything but GET and HEAD authenticated by the cookie must come from the listener's own origin (CSRF).
 */
public final class AdminHttpService implements HttpService {

    static final io.helidon.http.HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");

    /** mcp-relay's version when none is given: from the jar manifest when packaged. */
    static final String VERSION = Optional.ofNullable(AdminHttpService.class.getPackage().getImplementationVersion()).orElse("development");

    /** Largest login form body read: a token and some room. */
    private static final int MAX_LOGIN_FORM = 4_096;

    /** A console without the drain action (refuses every name, as for an unknown upstream). */
    private static final DrainUpstreamUseCase NO_DRAIN = (name, drained) -> false;

    private final AdminAccess access;
    private final ConsoleHandlers console;
    private final AdminState state;

    public AdminHttpService(String token, ListSessionsQuery sessions, EvictSessionUseCase evict, UpstreamStatusQuery upstreams,
                            String instanceId, Supplier<Instant> clock) {
        this(token, sessions, evict, upstreams, instanceId, clock, LiveView.NONE, List::of);
    }

    public AdminHttpService(String token, ListSessionsQuery sessions, EvictSessionUseCase evict, UpstreamStatusQuery upstreams,
                            String instanceId, Supplier<Instant> clock, LiveView live, InterceptorStatusQuery interceptors) {
        this(token, AdminAccess.DEFAULT_HANDLE_TTL, sessions, evict, upstreams, NO_DRAIN, instanceId, clock,
                new ConsoleTraffic(live, clock), interceptors, VERSION);
    }

    /**
     * @param loginTtl     how long a console login lasts: its cookie holds a random handle that expires then, never the token
     * @param drain        drains and enables upstreams
     * @param traffic      what the console records of the relayed messages and the open streams (the relay use case the MCP
     *                     endpoint uses must be {@link ConsoleTraffic#recording wrapped} by it)
     * @param interceptors the interception rules and code interceptors with their hit counts
     * @param version      mcp-relay's version as the build gave it
     */
    public AdminHttpService(String token, Duration loginTtl, ListSessionsQuery sessions, EvictSessionUseCase evict,
                            UpstreamStatusQuery upstreams, DrainUpstreamUseCase drain, String instanceId, Supplier<Instant> clock,
                            ConsoleTraffic traffic, InterceptorStatusQuery interceptors, String version) {
        this.access = new AdminAccess(token, loginTtl, clock);
        this.state = new AdminState(sessions, evict, upstreams, drain, interceptors, traffic, instanceId, version, clock, clock.get());
        this.console = new ConsoleHandlers(state);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/console.css", (req, res) -> ConsoleHandlers.asset(res, "console.css", "text/css; charset=UTF-8"))
                .get("/console.js", (req, res) -> ConsoleHandlers.asset(res, "console.js", "text/javascript; charset=UTF-8"))
                .get("/login", this::loginPage)
                .post("/login", this::loginForm)
                .any(this::authenticate)
                .post("/logout", this::logout)
                .get("/api/sessions", this::list)
                .get("/api/sessions/{id}", this::one)
                .delete("/api/sessions/{id}", this::delete)
                .get("/api/upstreams", (req, res) -> send(res, Status.OK_200, AdminJson.upstreams(state.upstreams().upstreamStatus())))
                .post("/api/upstreams/{name}/drain", (req, res) -> drain(req, res, true))
                .post("/api/upstreams/{name}/enable", (req, res) -> drain(req, res, false))
                .get("/api/stats", this::stats)
                .get("/api/live", (req, res) -> send(res, Status.OK_200, AdminJson.live(state.chartWindow(), state.openStreams(), state.sessionCount(), state.header())))
                .get("/api/interceptors", (req, res) -> send(res, Status.OK_200, AdminJson.interceptors(state.interceptors().interceptorStatus())))
                .register(console);
    }

    private void loginPage(ServerRequest req, ServerResponse res) {
        Optional<String> token = req.query().first("token").asOptional();
        if (token.isEmpty()) {
            html(res, Status.OK_200, AdminPages.login(false));
        } else if (access.matches(token.get())) {
            loggedIn(res);
        } else {
            unauthorized(res);
        }
    }

    /** The login form's POST: same origin only (so no other site can log a browser in), then the cookie and on to the console. */
    private void loginForm(ServerRequest req, ServerResponse res) {
        if (!AdminAccess.sameOrigin(req)) {
            send(res, Status.FORBIDDEN_403, AdminJson.error("cross-site request refused: send the Origin of this admin listener"));
            return;
        }
        byte[] body;
        try (var in = req.content().inputStream()) {
            body = in.readNBytes(MAX_LOGIN_FORM + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > MAX_LOGIN_FORM) {
            send(res, Status.REQUEST_ENTITY_TOO_LARGE_413, AdminJson.error("the login form is larger than " + MAX_LOGIN_FORM + " bytes"));
            return;
        }
        Optional<String> token = formField(new String(body, StandardCharsets.UTF_8), "token");
        if (token.isPresent() && access.matches(token.get())) {
            loggedIn(res);
        } else {
            html(res, Status.UNAUTHORIZED_401, AdminPages.login(true));
        }
    }

    private void loggedIn(ServerResponse res) {
        res.header(HeaderNames.SET_COOKIE, access.cookieFor(access.issueHandle()));
        res.header(HeaderNames.LOCATION, "/");
        res.status(Status.SEE_OTHER_303).send();
    }

    private void logout(ServerRequest req, ServerResponse res) {
        access.revoke(req);
        res.header(HeaderNames.SET_COOKIE, access.clearedCookie());
        res.header(HeaderNames.LOCATION, "/login");
        res.status(Status.SEE_OTHER_303).send();
    }

    private void authenticate(ServerRequest req, ServerResponse res) {
        AdminAccess.Verdict verdict = access.authenticate(req);
        String method = req.prologue().method().text();
        boolean changesState = !method.equals("GET") && !method.equals("HEAD");
        if (verdict == AdminAccess.Verdict.NONE) {
            if (!changesState && !req.path().path().startsWith("/api/")) {
                res.header(HeaderNames.LOCATION, "/login");
                res.status(Status.SEE_OTHER_303).send();
            } else {
                unauthorized(res);
            }
            return;
        }
        if (changesState && verdict == AdminAccess.Verdict.COOKIE && !AdminAccess.sameOrigin(req)) {
            send(res, Status.FORBIDDEN_403, AdminJson.error("cross-site request refused: send the Origin of this admin listener"));
            return;
        }
        res.next();
    }

    private void list(ServerRequest req, ServerResponse res) {
        try {
            int limit = req.query().first("limit").asOptional().map(Integer::parseInt).orElse(50);
            SessionQuery query = new SessionQuery(nonBlank(req, "prefix"), nonBlank(req, "upstream"), nonBlank(req, "cursor"), limit);
            send(res, Status.OK_200, AdminJson.page(state.sessions().listSessions(query)));
        } catch (IllegalArgumentException e) {
            send(res, Status.BAD_REQUEST_400, AdminJson.error("bad query: " + e.getMessage()));
        }
    }

    private void one(ServerRequest req, ServerResponse res) {
        Optional<ProxySessionId> id = sessionId(req);
        Optional<io.mcprelay.domain.session.Session> session = id.flatMap(state.sessions()::findSession);
        if (session.isEmpty()) {
            send(res, Status.NOT_FOUND_404, AdminJson.error("no such session"));
        } else {
            send(res, Status.OK_200, AdminJson.session(session.get(), state.sessions().streamsOf(id.get()),
                    state.sessions().recentMessages(id.get(), ListSessionsQuery.MAX_RECENT_MESSAGES),
                    state.traffic().sessions().of(id.get().value())));
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        if (state.evict(sessionId(req))) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            send(res, Status.NOT_FOUND_404, AdminJson.error("no such session"));
        }
    }

    private void drain(ServerRequest req, ServerResponse res, boolean drained) {
        String name = req.path().pathParameters().get("name");
        if (!state.drain().setDrained(name, drained)) {
            send(res, Status.NOT_FOUND_404, AdminJson.error("no such upstream"));
            return;
        }
        send(res, Status.OK_200, AdminJson.upstreams(state.upstreams().upstreamStatus().stream().filter(u -> u.name().equals(name)).toList())
                .get(0));
    }

    private void stats(ServerRequest req, ServerResponse res) {
        AdminPages.Header header = state.header();
        var node = AdminJson.object();
        node.put("instance", header.instance());
        node.put("version", header.version());
        node.put("startedAt", header.startedAt().toString());
        node.put("uptimeSeconds", header.uptime().toSeconds());
        node.put("sessions", state.sessionCount());
        send(res, Status.OK_200, node);
    }

    static Optional<ProxySessionId> sessionId(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        return ProxySessionId.isWellFormed(raw) ? Optional.of(new ProxySessionId(raw)) : Optional.empty();
    }

    private static Optional<String> nonBlank(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }

    static Optional<String> formField(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static void unauthorized(ServerResponse res) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"mcp-relay admin\"");
        send(res, Status.UNAUTHORIZED_401, AdminJson.error("the admin token is missing or wrong"));
    }

    static void html(ServerResponse res, Status status, String page) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(CONTENT_SECURITY_POLICY, AdminPages.CONTENT_SECURITY_POLICY);
        res.send(page.getBytes(StandardCharsets.UTF_8));
    }

    static void send(ServerResponse res, Status status, Object json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.send(AdminJson.bytes(json));
    }
}
