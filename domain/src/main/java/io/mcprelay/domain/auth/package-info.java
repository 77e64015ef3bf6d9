/**
 * Who calls: the principal an access token names, the bearer token as the client sends it, the
 * scopes a request needs, and why a request without a fitting token is refused (RFC 6750, RFC 9728).
 */
package io.mcprelay.domain.auth;
