/**
 * Bearer-token verification (driven): JWT access tokens checked against the issuer's JWKS with
 * Nimbus JOSE+JWT, the keys fetched with bounded waits and sizes and kept cached; and the Protected
 * Resource Metadata document (RFC 9728) that tells clients which authorization server to ask.
 */
package io.mcprelay.adapter.http.auth;
