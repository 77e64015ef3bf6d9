/** Inbound ports: the use cases a driving adapter (the HTTP endpoint) calls, one command record each. */
package io.mcprelay.application.port.in;
