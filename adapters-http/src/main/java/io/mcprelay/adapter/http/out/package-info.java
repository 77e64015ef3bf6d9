/**
 * The driven HTTP adapter: talks to upstream MCP servers with Helidon WebClient through one bounded
 * connection pool per upstream, reads their event streams, and probes their health.
 */
package io.mcprelay.adapter.http.out;
