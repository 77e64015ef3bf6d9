package io.mcprelay.adapter.http.out;

/** The hostile answers on {@link HelidonUpstreamAdapter}, which refuses every interim answer (Helidon does not skip them). */
class HelidonUpstreamHostileAnswersTest extends UpstreamHostileAnswersContract {
    HelidonUpstreamHostileAnswersTest() {
        super(UpstreamClients.HELIDON, false);
    }
}
