package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.bridge.ParkedQuestions;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Relays a 2025-era upstream's event stream answering a bridged request onto the modern client's response (bridge b),
 * and carries the upstream's questions across the eras (multi round-trip requests, design note §3): a server→client
 * request in the middle of {@code tools/call}, {@code prompts/get} or {@code resources/read}, for a capability the
 * request declared, ends the client's exchange with an {@code input_required} result while the upstream stream and
 * session are {@link BridgeParking parked}; the client's retry ({@link #resume}) posts each answer upstream as the
 * JSON-RPC response to the upstream's request and relays the rest of the stream onto the retry's response (possibly
 * another round). Any other server→client request is answered upstream with a JSON-RPC error, so the call goes on.
 * Progress notifications pass; {@code notifications/message} only when the request set a log level.
 */
final class BridgeStream {

    private static final System.Logger LOG = System.getLogger(BridgeStream.class.getName());
    /** The code a server→client request gets when the bridge cannot carry it to the modern client. */
    static final int NOT_BRIDGED = JsonRpcErrorCodes.METHOD_NOT_FOUND;
    static final String LOG_MESSAGE = "notifications/message";

    private final UpstreamPort upstream;
    private final BridgePool pool;
    private final BridgeParking parking;
    private final StreamRelay relay;

    /** How a relayed exchange ended, i.e. what becomes of its upstream stream and session. */
    enum Outcome {
        /** Answered: the session may carry the next request. */
        COMPLETE,
        /** Broken, cut short or cancelled: the session is ended, not reused. */
        LOST,
        /** Parked on a question: stream and session now belong to the parked call. */
        PARKED
    }

    /**
     * One bridged exchange: the id the upstream knows the call by, the id the client's current request has (a retry's
     * differs), the call (method and params, reserved keys stripped), its session, the client's envelope and principal.
     */
    record Flight(JsonValue upstreamId, JsonValue clientId, String method, JsonValue.Obj params, BridgePool.Pooled session,
                  ClientContext client, ModernEnvelope envelope, String principal, Exchange exchange) {
        Flight {
            Objects.requireNonNull(exchange, "exchange");
            Objects.requireNonNull(upstreamId, "upstreamId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(principal, "principal");
        }
    }

    /** The {@code input_required} answer for the client, and the id of the call parked behind it. */
    private record Asked(JsonValue.Obj answer, String parkId) {
    }

    /** A client's retry of a parked call: its new id, the call (params with {@code inputResponses}), client, envelope, principal. */
    record Retry(JsonValue clientId, String method, JsonValue.Obj params, ClientContext client, ModernEnvelope envelope, String principal,
                 Exchange exchange) {
    }

    /** @param relay the stream relay whose interceptors, supervision (heartbeats) and metrics bridged streams use */
    BridgeStream(UpstreamPort upstream, BridgePool pool, BridgeParking parking, StreamRelay relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.parking = Objects.requireNonNull(parking, "parking");
    }

    /** Relays {@code events} onto a new event stream of {@code downstream}, then settles the stream and session. */
    void relay(UpstreamReply.Events events, Flight flight, DownstreamPort downstream) {
        Outcome outcome;
        try (DownstreamPort.Stream stream = downstream.openEventStream(DownstreamPort.Head.NONE)) {
            BridgeOut out = new BridgeOut(stream, events::close, flight.exchange(), relay.interception(), relay.codec());
            relay.metrics().streamOpened(StreamKind.POST_RESPONSE);
            try (StreamSupervisor supervisor = relay.supervision().supervise(out, relay.settings(), "bridge-" + flight.clientId().toJson())) {
                outcome = pump(events.events(), out, flight, events);
            } finally {
                relay.metrics().streamClosed(StreamKind.POST_RESPONSE);
            }
        }
        settle(outcome, events, flight.session());
    }

    /**
     * A client's retry of a parked call ({@code retry.params()} carry {@code requestState} and {@code inputResponses}):
     * the token checked, the answers posted upstream, the rest of the upstream's stream relayed. A refused token is
     * answered in-band with -32602 and the reason (the client starts the call again).
     */
    void resume(String token, Retry retry, DownstreamPort downstream) {
        BridgeParking.Claim claim = parking.claim(token, retry.principal(), retry.method(), retry.params());
        if (claim instanceof BridgeParking.Claim.Refused refused) {
            LOG.log(System.Logger.Level.INFO, "bridge: a retry of {0} was refused: {1}", retry.method(), refused.message());
            downstream.answer(DownstreamPort.Head.NONE, error(retry.clientId(), JsonRpcErrorCodes.INVALID_PARAMS, refused.message()));
            return;
        }
        BridgeParking.Parked parked = ((BridgeParking.Claim.Found) claim).parked();
        BridgeParking.Call call = parked.call();
        Flight resumed = new Flight(call.upstreamId(), retry.clientId(), retry.method(), retry.params(), call.session(), retry.client(),
                retry.envelope(), retry.principal(), retry.exchange());
        ParkedQuestions.Answers answers = ParkedQuestions.answersForUpstream(retry.params(), call.upstreamIdsByKey());
        for (JsonValue.Obj response : answers.responses()) {
            try (UpstreamReply reply = upstream.send(pool.call(call.session().session(retry.client()), response))) {
                if (!(reply instanceof UpstreamReply.Accepted)) {
                    LOG.log(System.Logger.Level.INFO, "bridge: upstream {0} did not take an answer to its question: {1}",
                            call.session().target().name(), reply);
                    settle(Outcome.LOST, call.events(), call.session());
                    downstream.answer(DownstreamPort.Head.NONE, error(retry.clientId(), JsonRpcErrorCodes.INTERNAL_ERROR,
                            "Upstream error: the upstream did not take the answer to its question; the call is lost"));
                    return;
                }
            }
        }
        if (!answers.missingKeys().isEmpty()) {
            List<ParkedQuestions.Question> still = new ArrayList<>();
            answers.missingKeys().forEach(key -> still.add(call.questions().get(key)));
            Optional<Asked> asked = ask(still, call.events(), resumed);
            if (asked.isPresent()) {
                downstream.answer(DownstreamPort.Head.NONE, asked.get().answer().toJson().getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        relay(call.events(), resumed, downstream);
    }

    /** Ends a parked call nobody claimed in time: cancelled upstream, its stream closed, its session ended. */
    void expire(BridgeParking.Parked parked) {
        end(parked, "the client did not answer within " + parking.timeout());
    }

    /** Ends a parked call at this instance's stop, as {@link #expire} does. */
    void stop(BridgeParking.Parked parked) {
        end(parked, "mcp-relay is stopping");
    }

    private void end(BridgeParking.Parked parked, String reason) {
        BridgeParking.Call call = parked.call();
        cancel(call.upstreamId(), call.session(), ClientContext.NONE, reason);
        settle(Outcome.LOST, call.events(), call.session());
    }

    private Outcome pump(UpstreamEvents events, BridgeOut out, Flight flight, UpstreamReply.Events stream) {
        while (true) {
            UpstreamEvents.Read read = events.next();
            if (out.released()) { // the supervisor found the client gone and closed the upstream stream
                cancel(flight.upstreamId(), flight.session(), flight.client(), "the client closed its stream");
                return Outcome.LOST;
            }
            if (read instanceof UpstreamEvents.Read.Broken broken) {
                unanswered(out, flight.clientId(), "the upstream stream broke before answering: " + broken.reason());
                return Outcome.LOST;
            }
            if (!(read instanceof UpstreamEvents.Read.Event e)) {
                unanswered(out, flight.clientId(), "the upstream ended the stream before answering");
                return Outcome.LOST;
            }
            SseEvent event = e.event().toSseEvent();
            Optional<JsonValue.Obj> message = event.data().isEmpty() ? Optional.empty()
                    : BridgePool.parse(event.data().getBytes(StandardCharsets.UTF_8));
            if (message.isEmpty()) {
                continue;
            }
            JsonValue.Obj m = message.get();
            if (m.get("method").isPresent() && m.get("id").isPresent()) {
                Optional<Asked> asked = ask(List.of(question(m)), stream, flight);
                if (asked.isEmpty()) {
                    continue;
                }
                out.handOff();
                if (out.emit(asked.get().answer())) {
                    return Outcome.PARKED;
                }
                return gone(flight, asked.get().parkId());
            }
            if (flight.envelope().logLevel().isEmpty() && m.str("method").filter(LOG_MESSAGE::equals).isPresent()) {
                continue; // without a log level the request gets no log messages (2026-07-28)
            }
            boolean isAnswer = m.get("method").isEmpty() && flight.upstreamId().equals(m.get("id").orElse(null));
            JsonValue.Obj relayed = isAnswer ? annotated(flight.method(), m.with("id", flight.clientId()), flight.session()) : m;
            if (!out.emit(relayed)) {
                cancel(flight.upstreamId(), flight.session(), flight.client(), "the client closed its stream");
                return Outcome.LOST;
            }
            if (isAnswer) {
                return Outcome.COMPLETE;
            }
        }
    }

    /** The client left while being told of the parked call: the call is taken back and cancelled, unless already claimed. */
    private Outcome gone(Flight flight, String parkId) {
        if (parking.abandon(parkId) == null) {
            return Outcome.PARKED; // a retry got it first: its stream and session are that retry's now
        }
        cancel(flight.upstreamId(), flight.session(), flight.client(), "the client closed its stream");
        return Outcome.LOST;
    }

    /**
     * The {@code input_required} answer (with the client's current id) for {@code questions}, the call parked; or empty
     * when they cannot be asked (a method without input rounds, an undeclared capability, the parking full): then each
     * is answered upstream with an error and the stream goes on.
     */
    private Optional<Asked> ask(List<ParkedQuestions.Question> questions, UpstreamReply.Events stream, Flight flight) {
        String why;
        if (!ParkedQuestions.mayRequireInput(flight.method())) {
            why = flight.method() + " cannot ask a 2026-07-28 client anything (only tools/call, prompts/get and resources/read can)";
        } else {
            switch (ParkedQuestions.toInputRequired(questions, flight.envelope().clientCapabilities(), "")) {
                case ParkedQuestions.Translation.Refuse refuse -> why = refuse.reason();
                case ParkedQuestions.Translation.Ask ask -> {
                    Map<String, ParkedQuestions.Question> byKey = new LinkedHashMap<>();
                    for (int i = 0; i < questions.size(); i++) {
                        byKey.put("q" + (i + 1), questions.get(i)); // toInputRequired's keys, in order
                    }
                    BridgeParking.Call call = new BridgeParking.Call(flight.session(), stream, flight.upstreamId(), byKey, ask.upstreamIdsByKey());
                    switch (parking.park(flight.principal(), flight.method(), flight.params(), call)) {
                        case BridgeParking.Parking.Held held -> {
                            LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} asked {1}; parked as {2} for the client''s retry",
                                    flight.session().target().name(), questions.getFirst().method(), held.parked().id());
                            JsonValue.Obj result = ask.inputRequiredResult().with("requestState", JsonValue.str(held.token()));
                            return Optional.of(new Asked(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", flight.clientId(),
                                    "result", result), held.parked().id()));
                        }
                        case BridgeParking.Parking.Full full -> why = full.why();
                    }
                }
            }
        }
        questions.forEach(q -> refuse(q, why, flight));
        return Optional.empty();
    }

    private static ParkedQuestions.Question question(JsonValue.Obj request) {
        return new ParkedQuestions.Question(request.get("id").orElseThrow(), request.str("method").orElse(""),
                request.obj("params").orElse(JsonValue.Obj.EMPTY));
    }

    /** A server→client request the client cannot be asked: answered upstream with an error, so the call does not hang. */
    private void refuse(ParkedQuestions.Question question, String why, Flight flight) {
        LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} asked the client {1}, which the bridge cannot carry: {2}",
                flight.session().target().name(), question.method(), why);
        JsonValue.Obj error = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", question.upstreamId(), "error",
                JsonValue.obj("code", JsonValue.Num.of(NOT_BRIDGED), "message", JsonValue.str("mcp-relay cannot carry " + question.method()
                        + " from a 2025-era server to this 2026-07-28 client: " + why)));
        upstream.send(pool.call(flight.session().session(flight.client()), error)).close();
    }

    private void cancel(JsonValue upstreamId, BridgePool.Pooled session, ClientContext client, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "bridge: cancelling request {0} upstream: {1}", upstreamId.toJson(), reason);
        JsonValue.Obj cancelled = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "method", JsonValue.str("notifications/cancelled"),
                "params", JsonValue.obj("requestId", upstreamId, "reason", JsonValue.str(reason)));
        upstream.send(pool.call(session.session(client), cancelled)).close();
    }

    private void settle(Outcome outcome, UpstreamReply.Events events, BridgePool.Pooled session) {
        switch (outcome) {
            case COMPLETE -> {
                events.close();
                pool.giveBack(session);
            }
            case LOST -> {
                events.close();
                pool.discard(session, true);
            }
            case PARKED -> {
                // the parked call holds both until its retry or its expiry
            }
        }
    }

    private static void unanswered(BridgeOut out, JsonValue id, String why) {
        out.emit(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "error",
                JsonValue.obj("code", JsonValue.Num.of(JsonRpcErrorCodes.INTERNAL_ERROR), "message", JsonValue.str("Upstream error: " + why))));
    }

    static byte[] error(JsonValue id, int code, String message) {
        return JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "error",
                JsonValue.obj("code", JsonValue.Num.of(code), "message", JsonValue.str(message))).toJson().getBytes(StandardCharsets.UTF_8);
    }

    static JsonValue.Obj annotated(String method, JsonValue.Obj answer, BridgePool.Pooled session) {
        if (answer.obj("result").isPresent()) {
            return answer.with("result", ModernToLegacy.annotateResult(method, answer.obj("result").orElseThrow(), session.serverInfo()));
        }
        if (answer.obj("error").isPresent()) {
            return answer.with("error", ModernToLegacy.annotateError(answer.obj("error").orElseThrow()));
        }
        return answer;
    }
}
