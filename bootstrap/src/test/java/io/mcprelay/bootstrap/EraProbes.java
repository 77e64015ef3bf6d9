package io.mcprelay.bootstrap;

import io.mcprelay.application.port.out.UpstreamStatus;
import java.time.Duration;

/**
 * Waits for the relay's era probe at start (docs/eras.md): a test whose upstream requests must come
 * in a fixed order waits for it, since the probe runs in the background while the test already sends.
 */
final class EraProbes {

    private EraProbes() {
    }

    /**
     * Returns once every upstream's eras are known (configured, or judged by a probe that answered), or
     * throws after {@code within}.
     */
    static void awaitJudged(McpRelayServer relay, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!relay.upstreamStatus().stream().allMatch(u -> !u.era().serves().equals("unknown"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the eras of the upstreams were not judged within " + within + ": "
                        + relay.upstreamStatus().stream().map(u -> u.name() + " " + u.era().describe()).toList());
            }
            Thread.sleep(20);
        }
    }

    /** The eras of upstream {@code name} as the relay knows them now. */
    static UpstreamStatus.Era of(McpRelayServer relay, String name) {
        return relay.upstreamStatus().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow().era();
    }
}
