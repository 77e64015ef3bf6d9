package io.mcprelay.adapter.http.admin;

import io.mcprelay.application.port.out.InterceptorStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * The admin console's page frame (header with instance, version and uptime; navigation; its own
 * stylesheet and script, served by this listener) and the helpers every page renders with.
 * Everything that may come from a client or an upstream (client names and versions, ids, filters,
 * message data, error texts, upstream names) goes through {@link #escape}, so it is shown as text and
 * can never become markup; the only script is {@code /console.js}, which builds DOM nodes and never
 * parses HTML.
 */
final class AdminPages {

    /**
     * Only this listener's own stylesheet and script may load, and scripts may only call back here;
     * no inline script or style: defence in depth behind {@link #escape}.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** How much of a message's data is shown (characters); the rest is cut. */
    static final int MAX_DATA = 2048;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * What the header of every page shows.
     *
     * @param instance  this instance's id
     * @param version   mcp-relay's version
     * @param startedAt when this admin listener started
     * @param now       the time the page is rendered at
     */
    record Header(String instance, String version, Instant startedAt, Instant now) {
        Header {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(now, "now");
        }

        Duration uptime() {
            return Duration.between(startedAt, now);
        }
    }

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

    /** A duration as operators read it: {@code 3d 4h}, {@code 2h 5m}, {@code 4m 12s}, {@code 12s}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3_600 + "h";
        }
        if (s >= 3_600) {
            return s / 3_600 + "h " + s % 3_600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    /** A {@code <time>} with the full ISO instant as its machine value and title, shown as UTC date and time. */
    static String time(Instant at) {
        String iso = escape(at.toString());
        return "<time datetime=\"" + iso + "\" title=\"" + iso + "\">" + CLOCK.format(at) + "</time>";
    }

    /** A coloured state label; {@code tone} is one of ok, bad, warn, idle, info. */
    static String badge(String text, String tone) {
        return "<span class=\"badge b-" + tone + "\">" + escape(text) + "</span>";
    }

    /** A one-button form that POSTs to {@code action} (an already escaped, same-origin path). */
    static String postButton(String escapedAction, String label, String cssClass, String id) {
        return "<form class=\"inline\" method=\"post\" action=\"" + escapedAction + "\"><button type=\"submit\" class=\"" + cssClass
                + "\" id=\"" + escape(id) + "\">" + escape(label) + "</button></form>";
    }

    /** {@code segment} made safe as one path segment (then escape it for the attribute). */
    static String pathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The interception rules in the order they run, then the code interceptors, with their hit counts. */
    static String interceptors(Header header, List<InterceptorStatus> interceptors) {
        StringBuilder body = new StringBuilder("<h1>Interceptors</h1><div class=\"panel\"><table id=\"interceptors\"><tr><th>name</th>"
                + "<th>kind</th><th>action</th><th>matches</th><th class=\"num\">hits</th><th class=\"num\">failures</th></tr>");
        for (InterceptorStatus i : interceptors) {
            body.append("<tr class=\"interceptor\"><td class=\"interceptor-name\">").append(escape(i.name()))
                    .append("</td><td>").append(escape(i.kind())).append("</td><td>").append(escape(i.action()))
                    .append("</td><td><code>").append(escape(i.matches())).append("</code></td><td class=\"hits num\">").append(i.hits())
                    .append("</td><td class=\"num\">").append(i.failures()).append("</td></tr>");
        }
        body.append("</table>");
        if (interceptors.isEmpty()) {
            body.append("<p class=\"muted\">No interception rules or code interceptors: every message passes unchanged.</p>");
        }
        return page("Interceptors", "/interceptors", header, body.append("</div>").toString());
    }

    static String message(Header header, String title, String text) {
        return page(title, "", header, "<h1>" + escape(title) + "</h1><div class=\"panel\"><p>" + escape(text) + "</p></div>");
    }

    /** The login form: it POSTs the token, which then never appears in a URL, a history or a log. */
    static String login(boolean failed) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Log in · mcp-relay admin</title>"
                + "<link rel=\"stylesheet\" href=\"/console.css\"></head><body><main><form class=\"login\" method=\"post\" action=\"/login\">"
                + "<h1>mcp-relay admin</h1>"
                + (failed ? "<p class=\"error\" id=\"login-error\">That token is not this relay's admin token.</p>" : "")
                + "<label for=\"token\">Admin token</label><input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\""
                + " autofocus required><button type=\"submit\" class=\"primary\" id=\"login\">Log in</button>"
                + "<p class=\"muted\">The token is printed once at start-up, or set with <code>--admin-token</code>.</p></form></main></body></html>";
    }

    /** A console page: header (instance, version, uptime, log out), navigation with {@code here} marked, then {@code body}. */
    static String page(String title, String here, Header header, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] link : new String[][] {{"/", "Overview"}, {"/sessions", "Sessions"}, {"/upstreams", "Upstreams"},
                {"/interceptors", "Interceptors"}}) {
            nav.append("<a href=\"").append(link[0]).append('"').append(link[0].equals(here) ? " class=\"here\"" : "").append('>')
                    .append(link[1]).append("</a>");
        }
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + escape(title) + " · mcp-relay admin</title><link rel=\"stylesheet\" href=\"/console.css\">"
                + "<script src=\"/console.js\" defer></script></head><body><header class=\"top\"><span class=\"brand\">mcp-relay</span><nav>"
                + nav + "</nav><span class=\"meta\">instance <b id=\"instance\">" + escape(header.instance()) + "</b> · version <b id=\"version\">"
                + escape(header.version()) + "</b> · up <b id=\"uptime\">" + duration(header.uptime()) + "</b></span>"
                + "<form method=\"post\" action=\"/logout\"><button type=\"submit\" id=\"logout\">Log out</button></form></header>"
                + "<main>" + body + "</main></body></html>";
    }
}
