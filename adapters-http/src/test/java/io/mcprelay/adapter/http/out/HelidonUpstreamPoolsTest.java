package io.mcprelay.adapter.http.out;

/** The per-upstream pools of {@link HelidonUpstreamAdapter}. */
class HelidonUpstreamPoolsTest extends UpstreamPoolsContract {
    HelidonUpstreamPoolsTest() {
        super(UpstreamClients.HELIDON);
    }
}
