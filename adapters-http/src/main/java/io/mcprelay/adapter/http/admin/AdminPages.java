package io.mcprelay.adapter.http.admin;

import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The admin UI's HTML, rendered on the server with no script at all. Everything that may come from a
 * client or an upstream (client names and versions, ids, filters, message data, error texts) goes
 * through {@link #escape}, so it is shown as text and can never become markup.
 */
final class AdminPages {

    /** No script may run on these pages, whatever slips through: defence in depth behind {@link #escape}. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final String STYLE = "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
            + "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}th{background:#f4f4f4}"
            + "nav a{margin-right:1em}.danger{background:#b00;color:#fff;border:0;padding:.4em 1em}"
            + "pre{white-space:pre-wrap;word-break:break-all;max-width:60em;margin:.25em 0}";

    /** How much of a message's data is shown (characters); the rest is cut. */
    static final int MAX_DATA = 2048;

    private AdminPages() {
    }

    /** Escapes {@code & < > " '} so that text is safe in element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code data}, cut to {@link #MAX_DATA} characters (never inside a surrogate pair). */
    static String truncate(String data) {
        if (data.length() <= MAX_DATA) {
            return data;
        }
        int end = Character.isHighSurrogate(data.charAt(MAX_DATA - 1)) ? MAX_DATA - 1 : MAX_DATA;
        return data.substring(0, end);
    }

    /** One upstream's row on the overview (health and breaker by name; the latest error, if any, as text). */
    record UpstreamRow(String name, String endpoint, int weight, boolean enabled, String health, String breaker, int inFlight,
                       Optional<String> latestError) {
    }

    static String overview(String instanceId, String version, Instant startedAt, Duration uptime, long sessionCount,
                           List<UpstreamRow> upstreams, LiveView live) {
        List<LiveView.Second> seconds = live.lastSeconds(LiveChart.SECONDS);
        StringBuilder body = new StringBuilder();
        body.append("<h1>mcp-relay</h1><table id=\"stats\">")
                .append(row("instance", escape(instanceId)))
                .append(row("version", escape(version)))
                .append(row("started", escape(startedAt.toString())))
                .append(row("uptime", escape(uptime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().substring(2).toLowerCase())))
                .append(row("sessions", "<a href=\"/sessions\" id=\"session-count\">" + sessionCount + "</a>"))
                .append(row("open streams", "<span id=\"open-streams\">" + live.openStreams() + "</span>"))
                .append(row("messages/s (last minute)", String.format(java.util.Locale.ROOT, "<span id=\"rate\">%.2f</span>",
                        LiveChart.rate(seconds, 60))))
                .append(row("error rate (last minute)", String.format(java.util.Locale.ROOT, "<span id=\"error-rate\">%.1f%%</span>",
                        100 * LiveChart.errorRate(seconds, 60))))
                .append("</table><h2>Upstreams</h2><table id=\"upstreams\"><tr><th>name</th><th>endpoint</th><th>weight</th>"
                        + "<th>enabled</th><th>health</th><th>breaker</th><th>in flight</th><th>latest error</th></tr>");
        for (UpstreamRow u : upstreams) {
            body.append("<tr class=\"upstream\"><td>").append(escape(u.name())).append("</td><td>").append(escape(u.endpoint()))
                    .append("</td><td>").append(u.weight()).append("</td><td>").append(u.enabled())
                    .append("</td><td>").append(escape(u.health())).append("</td><td>").append(escape(u.breaker()))
                    .append("</td><td>").append(u.inFlight()).append("</td><td>").append(escape(u.latestError().orElse("")))
                    .append("</td></tr>");
        }
        body.append("</table><p><a href=\"/upstreams\" id=\"all-upstreams\">Upstreams in detail</a> · "
                + "<a href=\"/live\" id=\"live-link\">Live traffic</a></p>");
        return page("Overview", body.toString());
    }

    /** Traffic of the last five minutes; the page reloads itself every 5 seconds (a meta refresh, no script). */
    static String live(LiveView live) {
        List<LiveView.Second> seconds = live.lastSeconds(LiveChart.SECONDS);
        String body = "<h1>Live traffic</h1><p>open streams: <span id=\"open-streams\">" + live.openStreams() + "</span>, "
                + String.format(java.util.Locale.ROOT, "messages/s (last minute): <span id=\"rate\">%.2f</span>, errors: %.1f%%",
                        LiveChart.rate(seconds, 60), 100 * LiveChart.errorRate(seconds, 60))
                + "</p>" + LiveChart.svg(seconds);
        return page("Live", body).replace("<head>", "<head><meta http-equiv=\"refresh\" content=\"5\">");
    }

    static String sessions(SessionPage page, Optional<String> prefix, Optional<String> upstream) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Sessions</h1><form method=\"get\" action=\"/sessions\">")
                .append("<label>id prefix <input name=\"prefix\" value=\"").append(escape(prefix.orElse(""))).append("\"></label> ")
                .append("<label>upstream <input name=\"upstream\" value=\"").append(escape(upstream.orElse(""))).append("\"></label> ")
                .append("<button type=\"submit\">Filter</button></form>")
                .append("<p id=\"total\">").append(page.total()).append(page.total() == 1 ? " session" : " sessions").append("</p>")
                .append("<table id=\"sessions\"><tr><th>id</th><th>upstream</th><th>client name</th><th>protocol</th>"
                        + "<th>created</th><th>last seen</th></tr>");
        for (Session s : page.sessions()) {
            body.append("<tr class=\"session\"><td><a class=\"session-id\" href=\"").append(sessionHref(s)).append("\">")
                    .append(escape(s.id().value())).append("</a></td><td>").append(escape(s.upstream()))
                    .append("</td><td class=\"client-name\">").append(escape(s.client().name()))
                    .append("</td><td>").append(escape(s.protocolVersion().value()))
                    .append("</td><td>").append(escape(s.createdAt().toString()))
                    .append("</td><td>").append(escape(s.lastSeenAt().toString())).append("</td></tr>");
        }
        body.append("</table>");
        page.nextCursor().ifPresent(cursor -> {
            StringBuilder href = new StringBuilder("/sessions?cursor=").append(query(cursor));
            prefix.ifPresent(p -> href.append("&prefix=").append(query(p)));
            upstream.ifPresent(u -> href.append("&upstream=").append(query(u)));
            body.append("<p><a id=\"next\" href=\"").append(escape(href.toString())).append("\">next page</a></p>");
        });
        return page("Sessions", body.toString());
    }

    /** Every upstream with its configuration, health, breaker, load and its recent errors (newest first, with their times). */
    static String upstreams(List<UpstreamStatus> upstreams) {
        StringBuilder body = new StringBuilder("<h1>Upstreams</h1><table id=\"upstreams\"><tr><th>name</th><th>endpoint</th>"
                + "<th>weight</th><th>enabled</th><th>health</th><th>breaker</th><th>in flight</th><th>recent errors</th></tr>");
        for (UpstreamStatus u : upstreams) {
            body.append("<tr class=\"upstream\"><td class=\"upstream-name\">").append(escape(u.name()))
                    .append("</td><td>").append(escape(u.endpoint().toString()))
                    .append("</td><td>").append(u.weight()).append("</td><td>").append(u.enabled())
                    .append("</td><td>").append(escape(u.health().name())).append("</td><td>").append(escape(u.breaker()))
                    .append("</td><td>").append(u.inFlight()).append("</td><td>");
            if (u.recentErrors().isEmpty()) {
                body.append("none");
            } else {
                body.append("<ul class=\"errors\">");
                for (UpstreamStatus.RecentError e : u.recentErrors()) {
                    body.append("<li><time>").append(escape(e.at().toString())).append("</time> ").append(escape(e.what())).append("</li>");
                }
                body.append("</ul>");
            }
            body.append("</td></tr>");
        }
        body.append("</table>");
        if (upstreams.isEmpty()) {
            body.append("<p>No upstreams configured.</p>");
        }
        return page("Upstreams", body.toString());
    }

    /** The interception rules in the order they run, then the code interceptors, with their hit counts. */
    static String interceptors(List<InterceptorStatus> interceptors) {
        StringBuilder body = new StringBuilder("<h1>Interceptors</h1><table id=\"interceptors\"><tr><th>name</th><th>kind</th>"
                + "<th>action</th><th>matches</th><th>hits</th><th>failures</th></tr>");
        for (InterceptorStatus i : interceptors) {
            body.append("<tr class=\"interceptor\"><td class=\"interceptor-name\">").append(escape(i.name()))
                    .append("</td><td>").append(escape(i.kind())).append("</td><td>").append(escape(i.action()))
                    .append("</td><td>").append(escape(i.matches())).append("</td><td class=\"hits\">").append(i.hits())
                    .append("</td><td>").append(i.failures()).append("</td></tr>");
        }
        body.append("</table>");
        if (interceptors.isEmpty()) {
            body.append("<p>No interception rules or code interceptors: every message passes unchanged.</p>");
        }
        return page("Interceptors", body.toString());
    }

    /** One session, its live streams (newest first) and its latest messages (newest first, data cut to {@link #MAX_DATA}). */
    static String session(Session s, List<LogState> streams, List<SessionMessage> messages) {
        StringBuilder body = new StringBuilder(sessionBody(s));
        body.append("<h2>Streams</h2>");
        if (streams.isEmpty()) {
            body.append("<p id=\"no-streams\">No stream of this session has a live replay log.</p>");
        } else {
            body.append("<table id=\"streams\"><tr><th>stream</th><th>kind</th><th>opened</th><th>first sequence</th>"
                    + "<th>last sequence</th><th>retained events</th><th>complete</th><th>last event id</th></tr>");
            for (LogState state : streams) {
                body.append("<tr class=\"stream\"><td>").append(escape(state.stream().id().value()))
                        .append("</td><td>").append(escape(state.stream().kind().name()))
                        .append("</td><td>").append(escape(state.stream().openedAt().toString()))
                        .append("</td><td>").append(state.firstSequence()).append("</td><td>").append(state.lastSequence())
                        .append("</td><td class=\"retained\">").append(state.lastSequence() - state.firstSequence() + 1)
                        .append("</td><td>").append(state.complete())
                        .append("</td><td class=\"last-event-id\">").append(escape(new EventId(state.stream().id(), state.lastSequence()).text()))
                        .append("</td></tr>");
            }
            body.append("</table>");
        }
        body.append("<h2>Recent messages</h2>");
        if (messages.isEmpty()) {
            body.append("<p id=\"no-messages\">No message is retained.</p>");
        } else {
            body.append("<ol id=\"messages\">");
            for (SessionMessage m : messages) {
                String data = m.event().data();
                body.append("<li class=\"message\"><span class=\"event-id\">").append(escape(m.eventId().text())).append("</span>")
                        .append(m.event().eventType().map(t -> " <span class=\"event-type\">" + escape(t) + "</span>").orElse(""))
                        .append(data.length() > MAX_DATA ? " (first " + MAX_DATA + " of " + data.length() + " characters)" : "")
                        .append("<pre>").append(escape(truncate(data))).append("</pre></li>");
            }
            body.append("</ol>");
        }
        return page("Session " + s.id().value(), body.toString());
    }

    private static String sessionBody(Session s) {
        return "<h1>Session</h1><table id=\"session\">"
                + row("id", escape(s.id().value()))
                + row("upstream", escape(s.upstream()))
                + row("upstream session id", escape(s.upstreamSessionId().map(u -> u.value()).orElse("(none: stateless upstream)")))
                + row("protocol version", escape(s.protocolVersion().value()))
                + row("client name", "<span id=\"client-name\">" + escape(s.client().name()) + "</span>")
                + row("client version", escape(s.client().version()))
                + row("created", escape(s.createdAt().toString()))
                + row("last seen", escape(s.lastSeenAt().toString()))
                + "</table><form method=\"post\" action=\"" + sessionHref(s) + "/terminate\">"
                + "<p>Terminating ends the session as if its client had sent DELETE; its next request gets 404.</p>"
                + "<button type=\"submit\" id=\"terminate\" class=\"danger\">Terminate</button></form>";
    }

    static String message(String title, String text) {
        return page(title, "<h1>" + escape(title) + "</h1><p>" + escape(text) + "</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " · mcp-relay admin</title>"
                + "<style>" + STYLE + "</style></head><body><nav><a href=\"/\">Overview</a><a href=\"/sessions\">Sessions</a><a href=\"/upstreams\">Upstreams</a>"
                + "<a href=\"/interceptors\">Interceptors</a></nav>"
                + body + "</body></html>";
    }

    private static String row(String name, String escapedValue) {
        return "<tr><th>" + escape(name) + "</th><td>" + escapedValue + "</td></tr>";
    }

    private static String sessionHref(Session s) {
        return escape("/sessions/" + URLEncoder.encode(s.id().value(), StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
