/** JSON-RPC 2.0 message model and the rules that classify a decoded message, preserving ids exactly. */
package io.mcprelay.domain.jsonrpc;
