package io.mcprelay.adapter.http.admin;

import static io.mcprelay.adapter.http.admin.AdminPages.badge;
import static io.mcprelay.adapter.http.admin.AdminPages.duration;
import static io.mcprelay.adapter.http.admin.AdminPages.escape;

import io.mcprelay.application.port.out.UpstreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The upstreams as an operator scans them (HAProxy's stats page is the model): one row each with
 * its state as coloured labels (health, breaker, drained or disabled), how long the health has held,
 * the latest check, load and counts, the latest error, and the drain or enable button.
 */
final class UpstreamsPage {

    private UpstreamsPage() {
    }

    /** The full page: the table with every upstream's recent errors (newest first, with their times). */
    static String page(AdminPages.Header header, List<UpstreamStatus> upstreams) {
        StringBuilder body = new StringBuilder("<h1>Upstreams</h1><div class=\"panel\">").append(table(upstreams, header.now(), true));
        if (upstreams.isEmpty()) {
            body.append("<p class=\"muted\">No upstreams configured.</p>");
        }
        body.append("<p class=\"muted\">A drained upstream takes no new sessions; the sessions on it continue until they end. "
                + "The drain is this instance's: it survives a configuration reload that keeps the upstream, and a restart forgets it.</p></div>");
        return AdminPages.page("Upstreams", "/upstreams", header, body.toString());
    }

    /** The upstreams table; {@code allErrors} lists every recent error, else only the latest. */
    static String table(List<UpstreamStatus> upstreams, Instant now, boolean allErrors) {
        StringBuilder out = new StringBuilder("<table id=\"upstreams\"><tr><th>name</th><th>state</th><th>in state</th>"
                + "<th>last check</th><th>eras</th><th class=\"num\">weight</th><th class=\"num\">in flight</th><th class=\"num\">exchanges</th>"
                + "<th class=\"num\">failures</th><th>").append(allErrors ? "recent errors" : "latest error").append("</th><th></th></tr>");
        for (UpstreamStatus u : upstreams) {
            String name = escape(u.name());
            out.append("<tr class=\"upstream\" data-upstream=\"").append(name).append("\"><td><span class=\"upstream-name\">").append(name)
                    .append("</span><br><span class=\"muted mono\">").append(escape(u.endpoint().toString())).append("</span></td>")
                    .append("<td class=\"state\">").append(state(u)).append("</td>")
                    .append("<td>").append(duration(Duration.between(u.healthSince(), now))).append("</td>")
                    .append("<td>").append(u.lastCheck().map(at -> duration(Duration.between(at, now)) + " ago").orElse("not yet")).append("</td>")
                    .append("<td class=\"era\">").append(escape(u.era().describe())).append("</td>")
                    .append("<td class=\"num\">").append(u.weight()).append("</td>")
                    .append("<td class=\"num\">").append(u.inFlight()).append("</td>")
                    .append("<td class=\"num\">").append(u.exchanges()).append("</td>")
                    .append("<td class=\"num\">").append(u.failures()).append("</td><td>").append(errors(u, allErrors)).append("</td><td>")
                    .append(action(u)).append("</td></tr>");
        }
        return out.append("</table>").toString();
    }

    private static String state(UpstreamStatus u) {
        String health = switch (u.health()) {
            case HEALTHY -> badge("HEALTHY", "ok");
            case UNHEALTHY -> badge("UNHEALTHY", "bad");
            case UNKNOWN -> badge("UNKNOWN", "idle");
        };
        String breaker = switch (u.breaker()) {
            case "CLOSED" -> "";
            case "OPEN" -> " " + badge("breaker OPEN", "bad");
            default -> " " + badge("breaker " + u.breaker(), "warn");
        };
        String rotation = !u.enabled() ? " " + badge("DISABLED", "idle") : u.drained() ? " " + badge("DRAINED", "warn") : "";
        return health + breaker + rotation;
    }

    private static String errors(UpstreamStatus u, boolean all) {
        if (u.recentErrors().isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        StringBuilder out = new StringBuilder("<ul class=\"errors\">");
        for (UpstreamStatus.RecentError e : all ? u.recentErrors() : u.recentErrors().subList(0, 1)) {
            out.append("<li>").append(AdminPages.time(e.at())).append(' ').append(escape(e.what())).append("</li>");
        }
        return out.append("</ul>").toString();
    }

    /** Drain for an upstream in rotation, enable for a drained one; nothing for one the configuration disabled. */
    private static String action(UpstreamStatus u) {
        if (!u.enabled()) {
            return "";
        }
        String base = escape("/upstreams/" + AdminPages.pathSegment(u.name()));
        return u.drained()
                ? AdminPages.postButton(base + "/enable", "Enable", "primary", "enable-" + u.name())
                : AdminPages.postButton(base + "/drain", "Drain", "warn", "drain-" + u.name());
    }
}
