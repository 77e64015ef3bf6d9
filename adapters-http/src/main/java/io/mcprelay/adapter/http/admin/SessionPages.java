package io.mcprelay.adapter.http.admin;

import io.mcprelay.domain.bridge.BridgedSession;
import static io.mcprelay.adapter.http.admin.AdminPages.duration;
import static io.mcprelay.adapter.http.admin.AdminPages.escape;
import static io.mcprelay.adapter.http.admin.AdminPages.time;

import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sessions list and one session's page. A session's page puts what is live first: its open
 * streams (the standalone GET stream among them), then its latest messages with time, direction,
 * method, answer and latency, then its finished streams a page at a time ({@value #STREAM_PAGE} a
 * page: a busy session finishes a POST stream per request), then the raw events its logs retain.
 */
final class SessionPages {

    /** Finished streams per page. */
    static final int STREAM_PAGE = 10;
    /** Logged events shown (of the at most {@code ListSessionsQuery.MAX_RECENT_MESSAGES} read). */
    static final int EVENTS_SHOWN = 20;

    private SessionPages() {
    }

    static String list(AdminPages.Header header, SessionPage page, Optional<String> prefix, Optional<String> upstream, boolean firstPage) {
        StringBuilder body = new StringBuilder("<h1>Sessions</h1><div class=\"panel\"><form class=\"filters\" method=\"get\" action=\"/sessions\">")
                .append("<label>id prefix <input name=\"prefix\" value=\"").append(escape(prefix.orElse(""))).append("\"></label>")
                .append("<label>upstream <input name=\"upstream\" value=\"").append(escape(upstream.orElse(""))).append("\"></label>")
                .append("<button type=\"submit\">Filter</button></form>")
                .append("<p id=\"total\">").append(page.total()).append(page.total() == 1 ? " session" : " sessions").append("</p>")
                .append("<table id=\"sessions\"><tr><th>id</th><th>upstream</th><th>client</th><th>protocol</th>"
                        + "<th>created</th><th>last seen</th></tr>");
        for (Session s : page.sessions()) {
            body.append("<tr class=\"session\"><td><a class=\"session-id mono\" href=\"").append(href(s)).append("\">")
                    .append(escape(s.id().value())).append("</a></td><td>").append(escape(s.upstream()))
                    .append("</td><td><span class=\"client-name\">").append(escape(s.client().name())).append("</span> <span class=\"muted\">")
                    .append(escape(s.client().version())).append("</span></td><td>").append(escape(s.protocolVersion().value()))
                    .append("</td><td>").append(time(s.createdAt()))
                    .append("</td><td>").append(duration(Duration.between(s.lastSeenAt(), header.now()))).append(" ago</td></tr>");
        }
        body.append("</table><div class=\"pager\">");
        String filters = prefix.map(p -> "&prefix=" + AdminPages.query(p)).orElse("") + upstream.map(u -> "&upstream=" + AdminPages.query(u)).orElse("");
        if (!firstPage) {
            body.append("<a id=\"first\" href=\"").append(escape("/sessions?" + filters)).append("\">« first page</a>");
        }
        page.nextCursor().ifPresent(cursor -> body.append("<a id=\"next\" href=\"")
                .append(escape("/sessions?cursor=" + AdminPages.query(cursor) + filters)).append("\">next page »</a>"));
        return AdminPages.page("Sessions", "/sessions", header, body.append("</div></div>").toString());
    }

    /**
     * @param finishedPage which page of finished streams to show, from 0
     * @param traffic      the session's latest messages as this instance relayed them, newest first
     * @param events       the latest events its logs retain, newest first
     */
    static String detail(AdminPages.Header header, Session s, List<LogState> streams, int finishedPage,
                         List<SessionTraffic.Message> traffic, List<SessionMessage> events) {
        Instant now = header.now();
        List<LogState> open = streams.stream().filter(l -> !l.complete()).toList();
        List<LogState> finished = streams.stream().filter(LogState::complete).toList();
        StringBuilder body = new StringBuilder("<h1>Session <span class=\"mono\">").append(escape(s.id().value())).append("</span></h1>")
                .append(facts(s, now));
        body.append("<div class=\"panel\"><h2>Open streams (").append(open.size()).append(")</h2>");
        if (open.isEmpty()) {
            body.append("<p id=\"no-open-streams\" class=\"muted\">No stream of this session is open.</p>");
        } else {
            body.append(streamTable("open-streams-table", open, now));
        }
        body.append("</div><div class=\"panel\"><h2>Messages</h2>").append(trafficTable(traffic)).append("</div>");
        int pages = Math.max(1, (finished.size() + STREAM_PAGE - 1) / STREAM_PAGE);
        int shown = Math.clamp(finishedPage, 0, pages - 1);
        body.append("<div class=\"panel\"><h2>Finished streams (").append(finished.size()).append(")</h2>");
        if (finished.isEmpty()) {
            body.append("<p id=\"no-finished-streams\" class=\"muted\">None retained.</p>");
        } else {
            body.append(streamTable("finished-streams", finished.subList(shown * STREAM_PAGE, Math.min(finished.size(), (shown + 1) * STREAM_PAGE)), now))
                    .append("<div class=\"pager\">");
            if (shown > 0) {
                body.append("<a id=\"previous-streams\" href=\"").append(href(s)).append("?finished=").append(shown - 1).append("\">« newer</a>");
            }
            body.append("<span class=\"muted\">page ").append(shown + 1).append(" of ").append(pages).append("</span>");
            if (shown < pages - 1) {
                body.append("<a id=\"next-streams\" href=\"").append(href(s)).append("?finished=").append(shown + 1).append("\">older »</a>");
            }
            body.append("</div>");
        }
        body.append("</div><div class=\"panel\"><h2>Logged events</h2>").append(eventList(events)).append("</div>");
        return AdminPages.page("Session " + s.id().value(), "/sessions", header, body.toString());
    }

    private static String facts(Session s, Instant now) {
        return "<div class=\"panel\"><dl class=\"facts\" id=\"session\">"
                + fact("id", "<span class=\"mono\">" + escape(s.id().value()) + "</span>")
                + fact("upstream", escape(s.upstream()))
                + fact("upstream session id", BridgedSession.isBridged(s.upstreamSessionId())
                        ? "(none: bridged to a modern-only upstream)"
                        : escape(s.upstreamSessionId().map(u -> u.value()).orElse("(none: stateless upstream)")))
                + fact("protocol version", escape(s.protocolVersion().value()))
                + fact("client", "<span id=\"client-name\">" + escape(s.client().name()) + "</span> <span class=\"muted\">"
                        + escape(s.client().version()) + "</span>")
                + fact("owner", escape(s.owner().value()))
                + fact("created", time(s.createdAt()) + " <span class=\"muted\">(" + duration(Duration.between(s.createdAt(), now)) + " ago)</span>")
                + fact("last seen", time(s.lastSeenAt()) + " <span class=\"muted\">(" + duration(Duration.between(s.lastSeenAt(), now)) + " ago)</span>")
                + "</dl><p>" + AdminPages.postButton(href(s) + "/terminate", "End session", "danger", "terminate")
                + " <span class=\"muted\">as if its client had sent DELETE: its next request gets 404.</span></p></div>";
    }

    private static String streamTable(String id, List<LogState> streams, Instant now) {
        StringBuilder out = new StringBuilder("<table id=\"").append(id).append("\"><tr><th>stream</th><th>kind</th><th>opened</th><th>age</th>"
                + "<th class=\"num\">events</th><th class=\"num\">retained</th><th>last event id</th></tr>");
        for (LogState state : streams) {
            out.append("<tr class=\"stream\"><td class=\"mono\">").append(escape(state.stream().id().value()))
                    .append("</td><td>").append(state.stream().kind() == io.mcprelay.domain.stream.StreamKind.STANDALONE
                            ? AdminPages.badge("GET standalone", "info") : AdminPages.badge("POST response", "idle"))
                    .append("</td><td>").append(time(state.stream().openedAt()))
                    .append("</td><td>").append(duration(Duration.between(state.stream().openedAt(), now)))
                    .append("</td><td class=\"num\">").append(state.lastSequence())
                    .append("</td><td class=\"retained num\">").append(state.lastSequence() - state.firstSequence() + 1)
                    .append("</td><td class=\"last-event-id mono\">").append(escape(new EventId(state.stream().id(), state.lastSequence()).text()))
                    .append("</td></tr>");
        }
        return out.append("</table>").toString();
    }

    private static String trafficTable(List<SessionTraffic.Message> traffic) {
        if (traffic.isEmpty()) {
            return "<p id=\"no-traffic\" class=\"muted\">This instance has relayed no message of this session since it started.</p>";
        }
        StringBuilder out = new StringBuilder("<table id=\"traffic\"><tr><th>time</th><th>direction</th><th>method</th><th>id</th>"
                + "<th>answer</th><th class=\"num\">latency</th></tr>");
        for (SessionTraffic.Message m : traffic) {
            out.append("<tr class=\"traffic\"><td>").append(time(m.at())).append("</td><td>").append(escape(m.direction().arrow()))
                    .append("</td><td class=\"method mono\">").append(escape(m.method())).append("</td><td class=\"mono\">")
                    .append(escape(m.id().orElse(""))).append("</td><td>").append(m.answer().map(SessionPages::answer).orElse(""))
                    .append("</td><td class=\"num\">").append(m.latencyMillis().map(ms -> ms + " ms").orElse("")).append("</td></tr>");
        }
        return out.append("</table><p class=\"muted\">The latest ").append(SessionTraffic.MAX_MESSAGES)
                .append(" at most, as this instance relayed them; latency of an event sent to the client: since its request.</p>").toString();
    }

    private static String answer(String answer) {
        return AdminPages.badge(answer, answer.startsWith("2") ? "ok" : answer.startsWith("4") || !Character.isDigit(answer.charAt(0)) ? "warn" : "bad");
    }

    private static String eventList(List<SessionMessage> events) {
        if (events.isEmpty()) {
            return "<p id=\"no-messages\" class=\"muted\">No event is retained.</p>";
        }
        StringBuilder out = new StringBuilder("<ol id=\"messages\">");
        for (SessionMessage m : events.subList(0, Math.min(EVENTS_SHOWN, events.size()))) {
            String data = m.event().data();
            out.append("<li class=\"message\"><span class=\"event-id mono\">").append(escape(m.eventId().text())).append("</span>")
                    .append(m.event().eventType().map(t -> " <span class=\"event-type\">" + escape(t) + "</span>").orElse(""))
                    .append(data.length() > AdminPages.MAX_DATA ? " (first " + AdminPages.MAX_DATA + " of " + data.length() + " characters)" : "")
                    .append("<pre>").append(escape(AdminPages.truncate(data))).append("</pre></li>");
        }
        return out.append("</ol><p class=\"muted\">What upstreams sent, newest stream first, as the replay logs retain it (at most ")
                .append(EVENTS_SHOWN).append(" shown).</p>").toString();
    }

    private static String fact(String name, String escapedValue) {
        return "<dt>" + escape(name) + "</dt><dd>" + escapedValue + "</dd>";
    }

    private static String href(Session s) {
        return escape("/sessions/" + AdminPages.pathSegment(s.id().value()));
    }
}
