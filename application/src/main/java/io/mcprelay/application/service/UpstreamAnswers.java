package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what the upstream replied into the answer the client gets, for every kind of reply. A
 * request is answered with a JSON-RPC response or an event stream, never with something its client
 * cannot read: an answer that is not JSON-RPC, or other content ({@link UpstreamReply.Other}), gets
 * a Bad Gateway rejection with a JSON-RPC error (the MCP transport allows nothing else); other
 * content is only passed through for calls without requests. What the upstream's transport said
 * for the client ({@link io.mcprelay.application.port.out.upstream.TransportEcho}) goes on unread.
 */
final class UpstreamAnswers {

    private final StreamRelay streams;
    private final ClockPort clock;
    private final InterceptionService interception;

    UpstreamAnswers(StreamRelay streams) {
        this.streams = streams;
        this.clock = streams.clock();
        this.interception = streams.interception();
    }

    /**
     * Relays {@code reply} to the client that sent {@code payload} within {@code session} (empty
     * for an initialize that opened none), without interceptors; closes the reply.
     */
    void relay(UpstreamReply reply, JsonRpcPayload payload, Optional<Session> session, DownstreamPort downstream) {
        relay(reply, payload, session, downstream, List.of(), clock.now(), UpstreamReconnect.NONE, Exchange.NONE, List.of());
    }

    /**
     * As {@link #relay(UpstreamReply, JsonRpcPayload, Optional, DownstreamPort)}, with events
     * already read from a stream that go out first, through the interceptors of {@code exchange}.
     * {@code payload} is what was forwarded; {@code answeredHere} holds the answers the interceptors
     * gave to the other requests of a batch, which join the upstream's.
     */
    void relay(UpstreamReply reply, JsonRpcPayload payload, Optional<Session> session, DownstreamPort downstream,
               List<SseEvent> alreadyRead, Instant requestedAt, UpstreamReconnect reconnect, Exchange exchange, List<String> answeredHere) {
        Optional<ProxySessionId> id = session.map(Session::id);
        switch (reply) {
            case UpstreamReply.Answer answer -> relayAnswer(answer, payload, new DownstreamPort.Head(id, answer.echo()), exchange,
                    answeredHere, downstream);
            case UpstreamReply.Accepted accepted -> {
                DownstreamPort.Head head = new DownstreamPort.Head(id, accepted.echo());
                if (!answeredHere.isEmpty()) {
                    downstream.answer(head, batchOf(answeredHere));
                } else if (payload.expectsResponse()) {
                    downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                            "Bad Gateway: the upstream accepted a request without answering it")));
                } else {
                    downstream.accepted(head);
                }
            }
            case UpstreamReply.Events events -> streams.relayLive(events, session, StreamKind.POST_RESPONSE,
                    new DownstreamPort.Head(id, events.echo()), downstream, pendingRequests(payload), alreadyRead, requestedAt, reconnect,
                    exchange, answeredHere);
            case UpstreamReply.Other other -> {
                try (other) {
                    if (payload.expectsResponse()) {
                        downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                                "Bad Gateway: the upstream answered a request with " + other.description())));
                    } else {
                        downstream.passthrough(new DownstreamPort.Head(id, other.echo()), other.mediaType(), other.body());
                    }
                }
            }
            case UpstreamReply.Refused refused -> relayRefusal(refused, payload, id, downstream);
            case UpstreamReply.Unreachable unreachable -> downstream.reject(forPayload(payload, unreachable(unreachable)));
            case UpstreamReply.SessionGone gone -> downstream.reject(forPayload(payload, Rejection.of(RejectionReason.SESSION_NOT_FOUND,
                    "Session not found: the upstream ended it; initialize a new session")));
            case UpstreamReply.NoStream none -> downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream answered a request as if it were a stream: " + clip(none.detail()))));
        }
    }

    /**
     * A JSON answer, as the upstream gave it unless an interceptor changed it, with the answers given
     * here joined to a batch's. An answer to requests must be JSON-RPC: a client waiting for a
     * response must get one, not bytes it cannot parse (an upstream's error page sent as
     * {@code application/json}). It is decoded only to check it or to intercept it, never
     * re-serialised unless an interceptor changed it.
     */
    private void relayAnswer(UpstreamReply.Answer json, JsonRpcPayload payload, DownstreamPort.Head head, Exchange exchange,
                             List<String> answeredHere, DownstreamPort downstream) {
        boolean intercepting = exchange.intercepted() && interception.intercepts(Direction.RESPONSE);
        Optional<JsonRpcPayload> answer = Optional.empty();
        if (payload.expectsResponse() || intercepting) {
            Optional<String> notJsonRpc = switch (streams.codec().decode(json.message())) {
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
            Rewrite rewrite = interception.intercept(Direction.RESPONSE, exchange, answer.get(), new String(json.message(), StandardCharsets.UTF_8));
            changed = rewrite.changed();
            body = rewrite.text();
        }
        if (answeredHere.isEmpty()) {
            if (!changed) {
                downstream.answer(head, json.message());
            } else if (body.isPresent()) {
                downstream.answer(head, body.get().getBytes(StandardCharsets.UTF_8));
            } else {
                downstream.accepted(head);
            }
            return;
        }
        List<String> all = new ArrayList<>();
        String upstreamBody = changed ? body.orElse("") : new String(json.message(), StandardCharsets.UTF_8);
        if (upstreamBody.stripLeading().startsWith("[")) {
            all.addAll(interception.json().arrayElements(upstreamBody));
        } else if (!upstreamBody.isBlank()) {
            all.add(upstreamBody);
        }
        all.addAll(answeredHere);
        downstream.answer(head, batchOf(all));
    }

    private static byte[] batchOf(List<String> messages) {
        return ("[" + String.join(",", messages) + "]").getBytes(StandardCharsets.UTF_8);
    }

    /** Relays an answer already decoded as JSON-RPC (the opener read the initialize result from it). */
    void relayDecodedAnswer(UpstreamReply.Answer answer, Optional<Session> session, DownstreamPort downstream) {
        downstream.answer(new DownstreamPort.Head(session.map(Session::id), answer.echo()), answer.message());
    }

    /**
     * A refusal: the upstream's own JSON-RPC error as it is; without one, a JSON-RPC error saying
     * what it answered when it judged the request, or 502 when it failed.
     */
    private static void relayRefusal(UpstreamReply.Refused refused, JsonRpcPayload payload, Optional<ProxySessionId> id,
                                     DownstreamPort downstream) {
        DownstreamPort.Head head = new DownstreamPort.Head(id, refused.echo());
        if (refused.error().isPresent()) {
            downstream.refused(head, refused.error().get(), refused.upstreamFault());
        } else if (!refused.upstreamFault()) {
            JsonRpcError error = new JsonRpcError(singleRequestId(payload), JsonRpcErrorCodes.TRANSPORT_ERROR,
                    "Upstream answered " + refused.detail());
            downstream.refused(head, error.toJson().getBytes(StandardCharsets.UTF_8), false);
        } else {
            downstream.reject(forPayload(payload, Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream answered " + refused.detail())));
        }
    }

    /**
     * What the client gets for an unreachable upstream: the status that goes with the cause, and the
     * transport's own words when the adapter gave some ({@link UpstreamReply.Unreachable#reason()}),
     * else the relay's general words (a network transport's, which the HTTP clients' tests pin).
     */
    static Rejection unreachable(UpstreamReply.Unreachable unreachable) {
        Optional<String> reason = unreachable.reason().map(UpstreamAnswers::clip);
        return switch (unreachable.cause()) {
            case CONNECT -> Rejection.of(RejectionReason.UPSTREAM_UNREACHABLE,
                    "Bad Gateway: " + reason.orElse("the upstream cannot be reached"));
            case DROPPED -> Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: " + reason.orElseGet(() -> "the upstream closed the connection without answering: " + clip(unreachable.detail())));
            case TIMEOUT -> Rejection.of(RejectionReason.UPSTREAM_TIMEOUT, "Gateway Timeout: " + reason.orElse("the upstream did not answer in time"));
            case PROTOCOL -> Rejection.of(RejectionReason.UPSTREAM_FAILED, "Bad Gateway: " + reason.orElseGet(
                    () -> "the upstream's answer is unusable (not valid HTTP, or over a size limit): " + clip(unreachable.detail())));
            case SATURATED -> Rejection.of(RejectionReason.UPSTREAM_SATURATED,
                    "Service Unavailable: " + reason.orElse("the upstream is at its connection limit") + "; retry shortly");
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

    private static Set<RequestId> pendingRequests(JsonRpcPayload payload) {
        Set<RequestId> ids = new LinkedHashSet<>();
        for (JsonRpcMessage message : payload.messages()) {
            if (message instanceof JsonRpcMessage.Request request) {
                ids.add(request.id());
            }
        }
        return ids;
    }

    static String clip(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
