/** The driving HTTP adapter: the Helidon routes clients talk to ({@code /mcp}, {@code /health}). */
package io.mcprelay.adapter.http.in;
