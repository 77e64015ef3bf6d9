package io.mcprelay.bootstrap;

/**
 * The hostile-upstream suite with Helidon's WebClient as the upstream client (the fallback): the
 * same statuses, JSON-RPC errors and releases; the details of protocol failures Helidon's parser
 * finds are in its words.
 */
class HostileUpstreamsHelidonIT extends HostileUpstreamsIT {

    @Override
    UpstreamOptions.Client client() {
        return UpstreamOptions.Client.HELIDON;
    }

    @Override
    boolean exactDetails() {
        return false;
    }
}
