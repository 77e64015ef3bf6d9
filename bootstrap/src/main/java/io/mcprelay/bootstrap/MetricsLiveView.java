package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.admin.LiveView;
import io.mcprelay.adapter.http.metrics.MicrometerMetricsAdapter;
import java.util.List;

/** Feeds the admin overview and chart from the metrics adapter's live numbers. */
record MetricsLiveView(MicrometerMetricsAdapter metrics) implements LiveView {

    @Override
    public List<Second> lastSeconds(int n) {
        return metrics.live().lastSeconds(n).stream()
                .map(s -> new Second(s.epochSecond(), s.count(), s.errors(), s.meanMillis()))
                .toList();
    }

    @Override
    public int openStreams() {
        return metrics.openStreams();
    }
}
