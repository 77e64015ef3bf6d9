package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.UpstreamStatus;
import java.util.List;

/** What operators (the admin API, metrics) ask about upstreams: each one's health, breaker, load and latest errors. */
public interface UpstreamStatusQuery {

    /** Every configured upstream, in configuration order. */
    List<UpstreamStatus> upstreamStatus();
}
