/** The driven HTTP adapter: talks to upstream MCP servers with Helidon WebClient and reads their event streams. */
package io.mcprelay.adapter.http.out;
