/**
 * The use cases of mcp-relay and the ports they need. Domain types appear in the port signatures,
 * hence {@code requires transitive}. No framework, no I/O of its own: everything outside goes
 * through an outbound port.
 */
module io.mcprelay.application {
    requires transitive io.mcprelay.domain;

    exports io.mcprelay.application.port.in;
    exports io.mcprelay.application.port.out;
    exports io.mcprelay.application.port.out.upstream;
    exports io.mcprelay.application.port.out.trace;
    exports io.mcprelay.application.service;
    exports io.mcprelay.application.spi;
}
