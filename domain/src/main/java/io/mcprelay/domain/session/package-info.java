/** Proxy sessions: ids, the mapping to upstream sessions, protocol versions and lifecycle rules. */
package io.mcprelay.domain.session;
