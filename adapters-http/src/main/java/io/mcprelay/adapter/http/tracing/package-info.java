/**
 * The tracing port on OpenTelemetry's Java SDK: spans exported over OTLP/HTTP (protobuf) by a batch
 * processor, W3C trace context and baggage propagation. Only this package sees OpenTelemetry types.
 */
package io.mcprelay.adapter.http.tracing;
