package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what the upstream answered into the answer the client gets, for every kind of answer. A
 * request is answered with a JSON-RPC response or an event stream, never with something its client
 * cannot read: a 2xx answer to a request that is neither JSON-RPC as JSON nor an event stream gets
 * 502 with a JSON-RPC error (the MCP transport allows nothing else); other content types are only
 * streamed through for POSTs without requests.
 */
final class UpstreamAnswers {

    private final StreamRelay streams;
    private final HeaderPolicy headerPolicy;
    private final ClockPort clock;
    private final InterceptionService interception;

    UpstreamAnswers(StreamRelay streams, HeaderPolicy headerPolicy) {
        this.streams = streams;
        this.headerPolicy = headerPolicy;
        this.clock = streams.clock();
        this.interception = streams.interception();
    }

    /**
     * Relays {@code response} to the client that sent {@code payload} within {@code session} (empty
     * for an initialize that opened none), without interceptors; closes the upstream response.
     */
    void relay(UpstreamResponse response, JsonRpcPayload payload, Optional<Session> session, DownstreamPort downstream) {
        relay(response, payload, session, downstream, List.of(), clock.now(), UpstreamReconnect.NONE, Exchange.NONE, List.of());
    }

    /**
     * As {@link #relay(UpstreamResponse, JsonRpcPayload, Optional, DownstreamPort)}, with events
     * already read from an event stream that go out first, through the interceptors of
     * {@code exchange}. {@code payload} is what was forwarded; {@code answeredHere} holds the answers
     * the interceptors gave to the other requests of a batch, which join the upstream's.
     */
    void relay(UpstreamResponse response, JsonRpcPayload payload, Optional<Session> session, DownstreamPort downstream,
               List<SseEvent> alreadyRead, Instant requestedAt, UpstreamReconnect reconnect, Exchange exchange, List<String> answeredHere) {
        DownstreamPort.Head head = new DownstreamPort.Head(session.map(Session::id), Map.of());
        switch (response) {
            case UpstreamResponse.Json json -> relayJson(json, payload, withRelayedHeaders(head, json.headers()), exchange, answeredHere,
                    downstream);
            case UpstreamResponse.Accepted accepted -> {
                if (!answeredHere.isEmpty()) {
                    downstream.json(200, withRelayedHeaders(head, accepted.headers()), batchOf(answeredHere));
                } else if (payload.expectsResponse()) {
                    downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                            "Bad Gateway: the upstream accepted a request without answering it")));
                } else {
                    downstream.accepted(withRelayedHeaders(head, accepted.headers()));
                }
            }
            case UpstreamResponse.EventStream stream -> streams.relayLive(stream, session, StreamKind.POST_RESPONSE,
                    withRelayedHeaders(head, stream.headers()), downstream, pendingRequests(payload), alreadyRead, requestedAt, reconnect,
                    exchange, answeredHere);
            case UpstreamResponse.Passthrough passthrough -> {
                try (passthrough) {
                    if (payload.expectsResponse()) {
                        downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                                "Bad Gateway: the upstream answered a request with " + describeContentType(passthrough.contentType())
                                        + ", neither " + MediaTypes.JSON + " nor " + MediaTypes.EVENT_STREAM)));
                    } else {
                        downstream.passthrough(passthrough.status(), withRelayedHeaders(head, passthrough.headers()),
                                passthrough.contentType(), passthrough.body());
                    }
                }
            }
            case UpstreamResponse.Failed failed -> relayFailure(failed, payload, head, downstream);
            case UpstreamResponse.Unreachable unreachable -> downstream.reject(forPayload(payload, unreachable(unreachable)));
        }
    }

    /**
     * A JSON answer, as the upstream gave it unless an interceptor changed it, with the answers given
     * here joined to a batch's. An answer to requests must be JSON-RPC: a client waiting for a
     * response must get one, not bytes it cannot parse (an upstream's error page sent as
     * {@code application/json}). It is decoded only to check it or to intercept it, never
     * re-serialised unless an interceptor changed it.
     */
    private void relayJson(UpstreamResponse.Json json, JsonRpcPayload payload, DownstreamPort.Head head, Exchange exchange,
                           List<String> answeredHere, DownstreamPort downstream) {
        boolean intercepting = exchange.intercepted() && interception.intercepts(Direction.RESPONSE);
        Optional<JsonRpcPayload> answer = Optional.empty();
        if (payload.expectsResponse() || intercepting) {
            Optional<String> notJsonRpc = switch (streams.codec().decode(json.body())) {
                case DecodedPayload.Decoded decoded -> {
                    answer = Optional.of(decoded.payload());
                    yield Optional.empty();
                }
                case DecodedPayload.Malformed malformed -> Optional.of(malformed.reason());
                case DecodedPayload.Invalid invalid -> Optional.of(invalid.reason());
            };
            if (notJsonRpc.isPresent() && payload.expectsResponse()) {
                downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                        "Bad Gateway: the upstream's JSON answer is not JSON-RPC: " + clip(notJsonRpc.get()))));
                return;
            }
        }
        Optional<String> body = Optional.empty();
        boolean changed = false;
        if (intercepting && answer.isPresent()) {
            Rewrite rewrite = interception.intercept(Direction.RESPONSE, exchange, answer.get(), new String(json.body(), StandardCharsets.UTF_8));
            changed = rewrite.changed();
            body = rewrite.text();
        }
        if (answeredHere.isEmpty()) {
            if (!changed) {
                downstream.json(json.status(), head, json.body());
            } else if (body.isPresent()) {
                downstream.json(json.status(), head, body.get().getBytes(StandardCharsets.UTF_8));
            } else {
                downstream.accepted(head);
            }
            return;
        }
        List<String> all = new ArrayList<>();
        String upstreamBody = changed ? body.orElse("") : new String(json.body(), StandardCharsets.UTF_8);
        if (upstreamBody.stripLeading().startsWith("[")) {
            all.addAll(interception.json().arrayElements(upstreamBody));
        } else if (!upstreamBody.isBlank()) {
            all.add(upstreamBody);
        }
        all.addAll(answeredHere);
        downstream.json(json.status(), head, batchOf(all));
    }

    private static byte[] batchOf(List<String> messages) {
        return ("[" + String.join(",", messages) + "]").getBytes(StandardCharsets.UTF_8);
    }

    /** Relays a JSON answer already decoded as JSON-RPC (the opener read the initialize result from it). */
    void relayDecodedJson(UpstreamResponse.Json json, Optional<Session> session, DownstreamPort downstream) {
        DownstreamPort.Head head = new DownstreamPort.Head(session.map(Session::id), Map.of());
        downstream.json(json.status(), withRelayedHeaders(head, json.headers()), json.body());
    }

    private static String describeContentType(String contentType) {
        return contentType.isBlank() ? "no Content-Type" : "Content-Type " + clip(contentType);
    }

    private void relayFailure(UpstreamResponse.Failed failed, JsonRpcPayload payload, DownstreamPort.Head head, DownstreamPort downstream) {
        DownstreamPort.Head relayed = withRelayedHeaders(head, failed.headers());
        if (MediaTypes.isJson(failed.contentType()) && failed.body().length > 0) {
            downstream.json(failed.status(), relayed, failed.body());
        } else if (failed.status() < 500) {
            String text = new String(failed.body(), StandardCharsets.UTF_8).strip();
            String message = "Upstream answered HTTP " + failed.status() + (text.isEmpty() ? "" : ": " + clip(text));
            JsonRpcError error = new JsonRpcError(singleRequestId(payload), JsonRpcErrorCodes.TRANSPORT_ERROR, message);
            downstream.json(failed.status(), relayed, error.toJson().getBytes(StandardCharsets.UTF_8));
        } else {
            downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream answered HTTP " + failed.status())));
        }
    }

    static Rejection unreachable(UpstreamResponse.Unreachable unreachable) {
        return switch (unreachable.cause()) {
            case CONNECT -> Rejection.of(RejectionReason.UPSTREAM_UNREACHABLE, "Bad Gateway: the upstream cannot be reached");
            case DROPPED -> Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream closed the connection without answering: " + clip(unreachable.detail()));
            case TIMEOUT -> Rejection.of(RejectionReason.UPSTREAM_TIMEOUT, "Gateway Timeout: the upstream did not answer in time");
            case PROTOCOL -> Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream's answer is unusable (not valid HTTP, or over a size limit): " + clip(unreachable.detail()));
            case SATURATED -> Rejection.of(RejectionReason.UPSTREAM_SATURATED, "Service Unavailable: the upstream is at its connection limit; retry shortly");
        };
    }

    /** The rejection, carrying the request's id when the payload is one request. */
    static Rejection forPayload(JsonRpcPayload payload, Rejection rejection) {
        return singleRequestId(payload).map(rejection::answering).orElse(rejection);
    }

    static Optional<RequestId> singleRequestId(JsonRpcPayload payload) {
        if (payload instanceof JsonRpcPayload.Single single && single.message() instanceof JsonRpcMessage.Request request) {
            return Optional.of(request.id());
        }
        return Optional.empty();
    }

    private DownstreamPort.Head withRelayedHeaders(DownstreamPort.Head head, UpstreamResponse.Headers upstreamHeaders) {
        Map<String, String> headers = new HashMap<>(UpstreamHeaders.downstream(upstreamHeaders, headerPolicy));
        headers.putAll(head.headers());
        return new DownstreamPort.Head(head.sessionId(), headers);
    }

    private static Set<RequestId> pendingRequests(JsonRpcPayload payload) {
        Set<RequestId> ids = new LinkedHashSet<>();
        for (JsonRpcMessage message : payload.messages()) {
            if (message instanceof JsonRpcMessage.Request request) {
                ids.add(request.id());
            }
        }
        return ids;
    }

    private static String clip(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
