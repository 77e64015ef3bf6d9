/**
 * Prometheus metrics: a Micrometer adapter for the relay's metrics port and the {@code /metrics} route
 * that serves its scrape text.
 */
package io.mcprelay.adapter.http.metrics;
