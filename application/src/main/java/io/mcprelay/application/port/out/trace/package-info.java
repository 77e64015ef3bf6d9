/**
 * The tracing port: spans for requests and upstream exchanges, and the W3C trace context
 * ({@code traceparent}, {@code tracestate}, {@code baggage}) that links them across processes. The
 * application and the adapters see only these types; an adapter maps them onto a tracing library
 * (OpenTelemetry), and {@link io.mcprelay.application.port.out.trace.TracingPort#OFF} traces nothing
 * while passing the client's trace context on unchanged.
 */
package io.mcprelay.application.port.out.trace;
