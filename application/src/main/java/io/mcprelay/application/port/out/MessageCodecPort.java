package io.mcprelay.application.port.out;

/**
 * Reads JSON-RPC payloads. Implementations parse the JSON and hand what they saw to the domain's
 * classifier, so the rules stay in the domain and the parser stays in an adapter.
 */
public interface MessageCodecPort {

    /** Decodes a POST body or an SSE event's data (UTF-8 JSON): a single message or a batch. */
    DecodedPayload decode(byte[] utf8Json);
}
