package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.admin.LiveView;
import io.mcprelay.adapter.http.metrics.MicrometerMetricsAdapter;

/** Feeds the admin console's open-streams number from the metrics adapter. */
record MetricsLiveView(MicrometerMetricsAdapter metrics) implements LiveView {

    @Override
    public int openStreams() {
        return metrics.openStreams();
    }
}
