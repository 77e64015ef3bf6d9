/**
 * The composition root: parses the command line, builds every adapter and service by hand, wires
 * them and starts the server. The only module that requires all the others.
 */
module io.mcprelay.bootstrap {
    requires io.mcprelay.application;
    requires io.mcprelay.adapters.http;
    requires io.mcprelay.adapters.storage;
    requires io.mcprelay.adapters.stdio;
    requires io.helidon.webserver;
    requires java.logging;    // the composition root configures log output (--log-format json)
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;    // --config FILE
    requires org.yaml.snakeyaml;    // its LoaderOptions bound what a file may make the parser do (aliases, size, depth)
    requires jdk.unsupported;    // sun.misc.Signal, for SIGHUP = reload the configuration (HangupSignal only)

    // code interceptors: user modules that provide this service are found at start-up (docs/interceptors.md)
    uses io.mcprelay.application.spi.MessageInterceptor;

    exports io.mcprelay.bootstrap;
}
