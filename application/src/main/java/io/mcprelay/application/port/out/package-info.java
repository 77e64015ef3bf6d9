/** Outbound ports: what the use cases need from outside (stores, upstreams, clock, ids, codec, the downstream response). */
package io.mcprelay.application.port.out;
