package io.mcprelay.adapter.http.admin;

import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.UpstreamHealth;
import java.util.List;
import java.util.Locale;

/**
 * The console's first page, read at a glance: cards with the numbers of the last minute (sessions,
 * open streams, requests/s, client errors and upstream faults as shares, p99 latency, upstreams up),
 * the live charts of the last five minutes ({@code /console.js} draws them from {@code /api/live}
 * and updates the cards), and the upstreams with their state and actions.
 */
final class OverviewPage {

    private OverviewPage() {
    }

    /**
     * @param lastMinute the last minute as one step of the traffic window
     * @param sessions   sessions in the store
     * @param openStreams streams open towards clients now
     */
    static String page(AdminPages.Header header, TrafficWindow.Step lastMinute, long sessions, int openStreams,
                       List<UpstreamStatus> upstreams) {
        long up = upstreams.stream().filter(u -> u.health() != UpstreamHealth.UNHEALTHY && u.enabled() && !u.drained()).count();
        StringBuilder body = new StringBuilder("<h1>Overview</h1><div class=\"cards\" data-live-charts>")
                .append(card("sessions", "<a href=\"/sessions\" id=\"session-count\">" + sessions + "</a>", ""))
                .append(card("open streams", "<span id=\"open-streams\">" + openStreams + "</span>", ""))
                .append(card("requests", "<span id=\"rate\">" + format("%.2f", lastMinute.requestsPerSecond()) + "</span>", "/s"))
                .append(card("client errors", "<span id=\"client-error-rate\">" + percent(lastMinute.clientErrors(), lastMinute.count())
                        + "</span>", "%"))
                .append(card("upstream faults", "<span id=\"upstream-fault-rate\">" + percent(lastMinute.upstreamFaults(), lastMinute.count())
                        + "</span>", "%"))
                .append(card("p99 latency", "<span id=\"p99\">" + format("%.0f", lastMinute.p99Millis()) + "</span>", "ms"))
                .append(card("upstreams in rotation", "<span id=\"upstreams-up\">" + up + "</span>", "of " + upstreams.size()))
                .append("</div><p class=\"muted\">Cards: the last minute on this instance. Charts: the last five minutes in 5-second steps, "
                        + "updated every 2 seconds.</p><div class=\"charts\">")
                .append(chart("chart-rate", "Requests", "<span class=\"swatch s-rate\"></span>requests/s"))
                .append(chart("chart-errors", "Errors by kind", "<span class=\"swatch s-client\"></span>client errors "
                        + "<span class=\"swatch s-upstream\"></span>upstream faults (% of requests)"))
                .append(chart("chart-latency", "Latency", "<span class=\"swatch s-p50\"></span>p50 <span class=\"swatch s-p99\"></span>p99 (ms)"))
                .append(chart("chart-open", "Open streams", "<span class=\"swatch s-open\"></span>streams open towards clients"))
                .append("</div><div class=\"panel\"><h2>Upstreams</h2>").append(UpstreamsPage.table(upstreams, header.now(), false))
                .append("<p><a href=\"/upstreams\" id=\"all-upstreams\">Upstreams in detail</a></p></div>");
        return AdminPages.page("Overview", "/", header, body.toString());
    }

    private static String card(String label, String value, String unit) {
        return "<div class=\"card\"><div class=\"label\">" + AdminPages.escape(label) + "</div><div class=\"value\">" + value
                + (unit.isEmpty() ? "" : "<span class=\"unit\">" + AdminPages.escape(unit) + "</span>") + "</div></div>";
    }

    private static String chart(String id, String title, String legend) {
        return "<div class=\"panel chart\"><h3>" + title + "</h3><svg id=\"" + id + "\" viewBox=\"0 0 520 180\" role=\"img\" aria-label=\""
                + title + "\"></svg><div class=\"legend\">" + legend + "</div></div>";
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0.0" : format("%.1f", 100.0 * part / whole);
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
