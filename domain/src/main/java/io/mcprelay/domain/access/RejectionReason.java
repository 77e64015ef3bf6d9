package io.mcprelay.domain.access;

/**
 * Every reason mcp-relay itself refuses a request. The HTTP adapter maps each to exactly one
 * status code and JSON-RPC error code, in one place.
 */
public enum RejectionReason {
    /** {@code Origin} present and not allowed (DNS-rebinding defence). */
    FORBIDDEN_ORIGIN,
    /** {@code Host} not allowed for a loopback-bound listener (DNS-rebinding defence). */
    FORBIDDEN_HOST,
    /** An HTTP method the MCP endpoint does not serve. */
    METHOD_NOT_ALLOWED,
    /** {@code Accept} lacks a media type the protocol requires. */
    NOT_ACCEPTABLE,
    /** {@code Content-Type} is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The body is larger than the configured limit. */
    PAYLOAD_TOO_LARGE,
    /** The body is not JSON (or not UTF-8). */
    PARSE_ERROR,
    /** The body is JSON but not a valid JSON-RPC message. */
    INVALID_MESSAGE,
    /** A batch in a session whose protocol revision does not allow batches. */
    BATCH_NOT_ALLOWED,
    /** {@code initialize} sent inside a batch, or with other messages. */
    INITIALIZE_NOT_ALONE,
    /** {@code initialize} sent with an {@code Mcp-Session-Id}. */
    INITIALIZE_WITH_SESSION,
    /** A request other than initialize without {@code Mcp-Session-Id}. */
    MISSING_SESSION_ID,
    /** An {@code Mcp-Session-Id} that cannot be a session id. */
    MALFORMED_SESSION_ID,
    /** The session is unknown, expired, terminated, or lost by its upstream. */
    SESSION_NOT_FOUND,
    /** {@code MCP-Protocol-Version} names no supported revision. */
    UNSUPPORTED_PROTOCOL_VERSION,
    /**
     * A modern-era (2026-07-28) request whose routing headers are missing or do not match its body
     * (400, {@code -32020}); never used on the legacy path.
     */
    MODERN_HEADER_MISMATCH,
    /**
     * A modern-era request whose protocol version no upstream serves (400, {@code -32022} with
     * {@code data.supported} and {@code data.requested}); never used on the legacy path.
     */
    MODERN_VERSION_UNSUPPORTED,
    /** A modern-era request with a bad envelope, e.g. a modern version header without the {@code _meta} claim (400, {@code -32602}). */
    MODERN_INVALID_PARAMS,
    /** No upstream can take a new session. */
    NO_UPSTREAM_AVAILABLE,
    /** The upstream could not be reached (connection refused, reset, DNS). */
    UPSTREAM_UNREACHABLE,
    /** The upstream did not answer within its timeout. */
    UPSTREAM_TIMEOUT,
    /** The upstream's connection pool and its wait queue are full. */
    UPSTREAM_SATURATED,
    /** The upstream answered with a server error or with something that is not MCP. */
    UPSTREAM_FAILED,
    /** mcp-relay cannot get its own credentials for the upstream now (token endpoint down or slow). */
    UPSTREAM_CREDENTIALS_UNAVAILABLE,
    /** The token endpoint refused mcp-relay credentials for the upstream (or the exchange of the client's token). */
    UPSTREAM_CREDENTIALS_REFUSED,
    /** {@code Last-Event-ID} is not an event id mcp-relay issued. */
    LAST_EVENT_ID_MALFORMED,
    /** {@code Last-Event-ID} names no stream or position this session has (never issued, or expired). */
    LAST_EVENT_ID_UNKNOWN,
    /** {@code Last-Event-ID} names a stream of another session. */
    LAST_EVENT_ID_FOREIGN,
    /** Events after {@code Last-Event-ID} were dropped from the replay log. */
    LAST_EVENT_ID_EVICTED,
    /** The upstream offers no standalone GET stream. */
    STREAM_NOT_OFFERED,
    /** The session already has its share of requests in flight or of open GET streams ({@code SessionShare}). */
    SESSION_BUSY,
    /** A rate limit's token bucket is empty ({@code io.mcprelay.domain.limit.RateLimits}); the rejection says which and for how long. */
    RATE_LIMITED,
    /** The session store holds its maximum number of sessions. */
    SESSION_LIMIT_REACHED,
    /** The session store could not be reached. */
    STORE_UNAVAILABLE
}
