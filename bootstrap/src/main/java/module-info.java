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
    requires io.helidon.logging.common;    // HelidonLogging: so Helidon prints no plain-text line into JSON logs
    requires jdk.unsupported;    // sun.misc.Signal: SIGHUP reloads the configuration (HangupSignal), SIGTERM/SIGINT drain (GracefulStop)

    // code interceptors: user modules that provide this service are found at start-up (docs/interceptors.md)
    uses io.mcprelay.application.spi.MessageInterceptor;

    provides io.helidon.logging.common.spi.LoggingProvider with io.mcprelay.bootstrap.HelidonLogging;

    exports io.mcprelay.bootstrap;
}
