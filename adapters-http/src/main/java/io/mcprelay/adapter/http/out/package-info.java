/**
 * The driven HTTP adapter: talks to upstream MCP servers through one bounded connection pool per
 * upstream, on our own HTTP/1.1 client over pooled sockets ({@code SocketUpstreamAdapter}, the
 * default) or on Helidon WebClient ({@code HelidonUpstreamAdapter}), reads their event streams, and
 * probes their health.
 */
package io.mcprelay.adapter.http.out;
