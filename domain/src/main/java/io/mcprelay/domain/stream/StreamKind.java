package io.mcprelay.domain.stream;

/** What opened a stream. */
public enum StreamKind {
    /** The SSE response to a POSTed request: carries its progress, server requests and the response. */
    POST_RESPONSE,
    /** The session's standalone stream, opened by GET: server-initiated requests and notifications. */
    STANDALONE
}
