package io.mcprelay.adapter.http.out;

/** The fault catalogue on {@link HelidonUpstreamAdapter}. */
class HelidonUpstreamFaultsTest extends UpstreamFaultsContract {
    HelidonUpstreamFaultsTest() {
        super(UpstreamClients.HELIDON);
    }
}
