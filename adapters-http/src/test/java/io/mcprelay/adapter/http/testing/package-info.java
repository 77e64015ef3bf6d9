/** Test doubles of upstream MCP servers over real loopback sockets, shared with other modules' tests. */
package io.mcprelay.adapter.http.testing;
