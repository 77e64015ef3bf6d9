/** The Jackson codec for JSON-RPC payloads, shared by the inbound and outbound HTTP adapters. */
package io.mcprelay.adapter.http.json;
