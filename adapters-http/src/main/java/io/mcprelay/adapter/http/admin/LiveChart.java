package io.mcprelay.adapter.http.admin;

import java.util.List;
import java.util.Locale;

/**
 * Renders traffic of the last minutes as inline SVG (no script: the admin pages' CSP allows none):
 * bars of messages per second and a line of mean latency, aggregated into 5-second steps.
 */
final class LiveChart {

    static final int SECONDS = 300;
    private static final int STEP = 5;
    private static final int WIDTH = 600;
    private static final int HEIGHT = 120;

    private LiveChart() {
    }

    /** Requests per second over the window (errors counted in). */
    static double rate(List<LiveView.Second> seconds, int window) {
        List<LiveView.Second> last = seconds.subList(Math.max(0, seconds.size() - window), seconds.size());
        return last.isEmpty() ? 0 : last.stream().mapToLong(LiveView.Second::count).sum() / (double) window;
    }

    /** Share of messages that failed over the window, 0 when there were none. */
    static double errorRate(List<LiveView.Second> seconds, int window) {
        List<LiveView.Second> last = seconds.subList(Math.max(0, seconds.size() - window), seconds.size());
        long count = last.stream().mapToLong(LiveView.Second::count).sum();
        return count == 0 ? 0 : last.stream().mapToLong(LiveView.Second::errors).sum() / (double) count;
    }

    static String svg(List<LiveView.Second> seconds) {
        int steps = SECONDS / STEP;
        double[] rate = new double[steps];
        double[] latency = new double[steps];
        int offset = steps * STEP - seconds.size();
        for (int i = 0; i < seconds.size(); i++) {
            int step = (i + offset) / STEP;
            LiveView.Second s = seconds.get(i);
            rate[step] += s.count() / (double) STEP;
            latency[step] = Math.max(latency[step], s.meanMillis());
        }
        double maxRate = Math.max(1, max(rate));
        double maxLatency = Math.max(1, max(latency));
        double barWidth = WIDTH / (double) steps;
        StringBuilder out = new StringBuilder(4096);
        out.append("<svg id=\"live-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT + 20).append("\" role=\"img\" aria-label=\"messages per second and mean latency, last 5 minutes\">");
        for (int i = 0; i < steps; i++) {
            double h = rate[i] / maxRate * HEIGHT;
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7aa6da\"/>",
                    i * barWidth, HEIGHT - h, barWidth - 1, h));
        }
        out.append("<polyline fill=\"none\" stroke=\"#d9534f\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < steps; i++) {
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * barWidth + barWidth / 2, HEIGHT - latency[i] / maxLatency * HEIGHT));
        }
        out.append("\"/>");
        out.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">bars: up to %.1f msg/s; line: mean latency up to %.0f ms</text>",
                HEIGHT + 15, maxRate, maxLatency));
        return out.append("</svg>").toString();
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
