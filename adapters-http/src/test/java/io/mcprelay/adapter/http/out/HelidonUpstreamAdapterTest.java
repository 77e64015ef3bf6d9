package io.mcprelay.adapter.http.out;

/** The upstream adapter contract on {@link HelidonUpstreamAdapter}. */
class HelidonUpstreamAdapterTest extends UpstreamAdapterContract {
    HelidonUpstreamAdapterTest() {
        super(UpstreamClients.HELIDON);
    }
}
