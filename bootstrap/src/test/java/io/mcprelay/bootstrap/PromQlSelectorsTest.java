package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What GrafanaDashboardProcessIT takes for the metrics a query uses. */
class PromQlSelectorsTest {

    @Test
    void aQuantileOverARateNamesTheHistogramAndItsMatchersButNotFunctionsOrGroupings() {
        assertThat(PromQlSelectors.of("histogram_quantile(0.99, sum by (le, rpc_method) "
                + "(rate(mcp_relay_message_seconds_bucket{instance=~\"$instance\",outcome!~\"ok|upstream_.*\"}[$__rate_interval])))"))
                .containsExactly(new PromQlSelectors.Selector("mcp_relay_message_seconds_bucket", Set.of("instance", "outcome")));
    }

    @Test
    void aRatioNamesBothSidesAndABareNameHasNoLabels() {
        assertThat(PromQlSelectors.of("sum(rate(a_total{x=\"1\"}[5m])) / sum(rate(b_total[5m])) > bool 0 and on (instance) up"))
                .extracting(PromQlSelectors.Selector::metric).containsExactly("a_total", "b_total", "up");
        assertThat(PromQlSelectors.of("process_uptime_seconds")).containsExactly(new PromQlSelectors.Selector("process_uptime_seconds", Set.of()));
    }

    @Test
    void labelValuesOfATemplateVariableNamesItsMetric() {
        assertThat(PromQlSelectors.of("label_values(mcp_relay_build_info, instance)"))
                .containsExactly(new PromQlSelectors.Selector("mcp_relay_build_info", Set.of()));
    }
}
