/** Request admission: Origin and Host policies, header forwarding rules, and the reasons a request is refused. */
package io.mcprelay.domain.access;
