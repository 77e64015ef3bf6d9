package io.mcprelay.adapter.http.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages and forms, registered behind {@link AdminHttpService}'s authentication: the
 * overview, sessions, one session, upstreams, interceptors, and the forms that end a session and
 * drain or enable an upstream (each answers with a redirect, so a reload does not repeat it).
 */
final class ConsoleHandlers implements HttpService {

    /** Sessions per page of the list. */
    static final int SESSION_PAGE = 50;

    private static final Map<String, byte[]> ASSETS = Map.of("console.css", load("console.css"), "console.js", load("console.js"));

    private final AdminState state;

    ConsoleHandlers(AdminState state) {
        this.state = state;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::overview)
                .get("/sessions", this::sessions)
                .get("/sessions/{id}", this::session)
                .post("/sessions/{id}/terminate", this::terminate)
                .get("/upstreams", (req, res) -> AdminHttpService.html(res, Status.OK_200,
                        UpstreamsPage.page(state.header(), state.upstreams().upstreamStatus())))
                .post("/upstreams/{name}/drain", (req, res) -> drain(req, res, true))
                .post("/upstreams/{name}/enable", (req, res) -> drain(req, res, false))
                .get("/interceptors", (req, res) -> AdminHttpService.html(res, Status.OK_200,
                        AdminPages.interceptors(state.header(), state.interceptors().interceptorStatus())));
    }

    /** Serves the console's own stylesheet or script (public: nothing secret, and the login page needs the style). */
    static void asset(ServerResponse res, String name, String contentType) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.send(ASSETS.get(name));
    }

    private void overview(ServerRequest req, ServerResponse res) {
        TrafficWindow window = state.chartWindow();
        AdminHttpService.html(res, Status.OK_200, OverviewPage.page(state.header(), window.steps(60, 60).getFirst(), state.sessionCount(),
                state.openStreams(), state.upstreams().upstreamStatus()));
    }

    private void sessions(ServerRequest req, ServerResponse res) {
        Optional<String> prefix = nonBlank(req, "prefix");
        Optional<String> upstream = nonBlank(req, "upstream");
        Optional<String> cursor = nonBlank(req, "cursor");
        try {
            SessionQuery query = new SessionQuery(prefix, upstream, cursor, SESSION_PAGE);
            AdminHttpService.html(res, Status.OK_200, SessionPages.list(state.header(), state.sessions().listSessions(query), prefix, upstream,
                    cursor.isEmpty()));
        } catch (IllegalArgumentException e) {
            AdminHttpService.html(res, Status.BAD_REQUEST_400, AdminPages.message(state.header(), "Bad query", e.getMessage()));
        }
    }

    private void session(ServerRequest req, ServerResponse res) {
        Optional<Session> session = AdminHttpService.sessionId(req).flatMap(state.sessions()::findSession);
        if (session.isEmpty()) {
            notFound(res);
            return;
        }
        ProxySessionId id = session.get().id();
        int finished;
        try {
            finished = req.query().first("finished").asOptional().map(Integer::parseInt).orElse(0);
        } catch (NumberFormatException e) {
            finished = 0;
        }
        AdminHttpService.html(res, Status.OK_200, SessionPages.detail(state.header(), session.get(), state.sessions().streamsOf(id), finished,
                state.traffic().sessions().of(id.value()), state.sessions().recentMessages(id, ListSessionsQuery.MAX_RECENT_MESSAGES)));
    }

    private void terminate(ServerRequest req, ServerResponse res) {
        if (state.evict(AdminHttpService.sessionId(req))) {
            redirect(res, "/sessions");
        } else {
            notFound(res);
        }
    }

    private void drain(ServerRequest req, ServerResponse res, boolean drained) {
        if (state.drain().setDrained(req.path().pathParameters().get("name"), drained)) {
            redirect(res, "/upstreams");
        } else {
            AdminHttpService.html(res, Status.NOT_FOUND_404, AdminPages.message(state.header(), "No such upstream",
                    "It is not configured on this instance."));
        }
    }

    private void notFound(ServerResponse res) {
        AdminHttpService.html(res, Status.NOT_FOUND_404, AdminPages.message(state.header(), "No such session", "It has ended or never existed."));
    }

    private static void redirect(ServerResponse res, String to) {
        res.header(HeaderNames.LOCATION, to);
        res.status(Status.SEE_OTHER_303).send();
    }

    private static Optional<String> nonBlank(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }

    private static byte[] load(String name) {
        try (InputStream in = ConsoleHandlers.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
