/** Upstream MCP servers as targets, and the policies that pick one for a new session. */
package io.mcprelay.domain.routing;
