/**
 * The HTTP adapters: the Helidon WebServer endpoint clients talk to (driving, {@code adapter.http.in}),
 * the Helidon WebClient adapter that talks to upstreams (driven, {@code adapter.http.out}), and the
 * Jackson codec both sides use ({@code adapter.http.json}).
 */
module io.mcprelay.adapters.http {
    requires io.mcprelay.application;
    requires io.helidon.webserver;
    requires io.helidon.common.task;    // InterruptableTask: the guarded client connection stays interruptible at shutdown
    requires io.helidon.webclient;
    requires com.fasterxml.jackson.databind;
    // Micrometer ships automatic modules (names from Automatic-Module-Name); none of their types appear
    // in exported signatures. The Prometheus client jars they use are automatic modules too.
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    // Micrometer's JVM binders read com.sun.management (GC notifications, process CPU) reflectively;
    // automatic modules cannot require it, so it is resolved here.
    requires jdk.management;
    // JWT access tokens and the issuer's JWKS (adapter.http.auth); a named module of its own
    requires com.nimbusds.jose.jwt;
    // OpenTelemetry tracing (adapter.http.tracing): automatic modules (names from Automatic-Module-Name);
    // no OpenTelemetry type appears in an exported signature but OtelTracingAdapter's test constructor.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;
    // the OTLP exporter's sender (an automatic module found by ServiceLoader) posts with the JDK's HttpClient
    requires java.net.http;

    exports io.mcprelay.adapter.http.in;
    exports io.mcprelay.adapter.http.out;
    exports io.mcprelay.adapter.http.out.credentials;
    exports io.mcprelay.adapter.http.json;
    exports io.mcprelay.adapter.http.metrics;
    exports io.mcprelay.adapter.http.admin;
    exports io.mcprelay.adapter.http.auth;
    exports io.mcprelay.adapter.http.tracing;
}
