package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;

/** The one place that turns a refusal into an HTTP status and a JSON-RPC error code. */
final class RejectionMapper {

    private RejectionMapper() {
    }

    static int status(RejectionReason reason) {
        return switch (reason) {
            case FORBIDDEN_ORIGIN, FORBIDDEN_HOST -> 403;
            case METHOD_NOT_ALLOWED, STREAM_NOT_OFFERED -> 405;
            case LAST_EVENT_ID_MALFORMED, LAST_EVENT_ID_UNKNOWN, LAST_EVENT_ID_FOREIGN -> 400;
            case LAST_EVENT_ID_EVICTED -> 410;
            case NOT_ACCEPTABLE -> 406;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case PAYLOAD_TOO_LARGE -> 413;
            case PARSE_ERROR, INVALID_MESSAGE, BATCH_NOT_ALLOWED, INITIALIZE_NOT_ALONE, INITIALIZE_WITH_SESSION,
                 MISSING_SESSION_ID, MALFORMED_SESSION_ID, UNSUPPORTED_PROTOCOL_VERSION -> 400;
            case MODERN_HEADER_MISMATCH, MODERN_VERSION_UNSUPPORTED, MODERN_INVALID_PARAMS -> 400;
            case SESSION_NOT_FOUND -> 404;
            case SESSION_BUSY, RATE_LIMITED -> 429;
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, UPSTREAM_CREDENTIALS_REFUSED -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case NO_UPSTREAM_AVAILABLE, SESSION_LIMIT_REACHED, STORE_UNAVAILABLE, UPSTREAM_SATURATED, UPSTREAM_CREDENTIALS_UNAVAILABLE -> 503;
        };
    }

    static int jsonRpcCode(RejectionReason reason) {
        return switch (reason) {
            case PARSE_ERROR -> JsonRpcErrorCodes.PARSE_ERROR;
            case INVALID_MESSAGE, BATCH_NOT_ALLOWED, INITIALIZE_NOT_ALONE, INITIALIZE_WITH_SESSION -> JsonRpcErrorCodes.INVALID_REQUEST;
            case SESSION_NOT_FOUND -> JsonRpcErrorCodes.SESSION_NOT_FOUND;
            // the modern era's own codes, which tell a dual-era client that the modern era is spoken here
            case MODERN_HEADER_MISMATCH -> JsonRpcErrorCodes.HEADER_MISMATCH;
            case MODERN_VERSION_UNSUPPORTED -> JsonRpcErrorCodes.UNSUPPORTED_PROTOCOL_VERSION;
            case MODERN_INVALID_PARAMS -> JsonRpcErrorCodes.INVALID_PARAMS;
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, UPSTREAM_TIMEOUT, UPSTREAM_CREDENTIALS_REFUSED,
                 UPSTREAM_CREDENTIALS_UNAVAILABLE -> JsonRpcErrorCodes.INTERNAL_ERROR;
            case LAST_EVENT_ID_MALFORMED, LAST_EVENT_ID_UNKNOWN, LAST_EVENT_ID_FOREIGN, LAST_EVENT_ID_EVICTED,
                 STREAM_NOT_OFFERED -> JsonRpcErrorCodes.TRANSPORT_ERROR;
            case FORBIDDEN_ORIGIN, FORBIDDEN_HOST, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE,
                 MISSING_SESSION_ID, MALFORMED_SESSION_ID, UNSUPPORTED_PROTOCOL_VERSION,
                 NO_UPSTREAM_AVAILABLE, SESSION_LIMIT_REACHED, STORE_UNAVAILABLE, UPSTREAM_SATURATED, SESSION_BUSY, RATE_LIMITED
                    -> JsonRpcErrorCodes.TRANSPORT_ERROR;
        };
    }

    static String body(Rejection rejection) {
        return new JsonRpcError(rejection.requestId(), jsonRpcCode(rejection.reason()), rejection.detail(), rejection.dataJson()).toJson();
    }
}
