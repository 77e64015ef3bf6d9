package io.mcprelay.domain.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One multi round-trip round of bridge (a): a modern upstream answered a legacy client's call with an
 * {@code input_required} result; mcp-relay sends each {@code inputRequests} entry to the client as a JSON-RPC
 * request of its own (our ids), collects the client's answers, and re-sends the call upstream (with a new
 * JSON-RPC id) carrying {@code inputResponses} keyed as the upstream keyed its requests, and the
 * {@code requestState} echoed exactly. Immutable: {@link #answer} returns the next state.
 *
 * @param originalParams the call's params as first sent upstream
 * @param requestState   the upstream's opaque state, echoed on the retry; empty if it sent none
 * @param keysByOurId    our server-to-client request id to the upstream's {@code inputRequests} key
 * @param answers        the client's results so far, by {@code inputRequests} key
 */
public record InputRound(JsonValue.Obj originalParams, Optional<String> requestState, Map<String, String> keysByOurId,
        Map<String, JsonValue> answers) {

    public InputRound {
        Objects.requireNonNull(originalParams, "originalParams");
        Objects.requireNonNull(requestState, "requestState");
        keysByOurId = Map.copyOf(keysByOurId);
        answers = Map.copyOf(answers);
    }

    /** A JSON-RPC request mcp-relay sends the legacy client for the upstream's {@code inputRequests} entry {@code key}. */
    public record ServerRequest(String id, String key, JsonValue.Obj message) {
        public ServerRequest {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }
    }

    /** A new round and the requests to send downstream (none when the upstream sent only {@code requestState}: retry at once). */
    public record Opened(InputRound round, List<ServerRequest> requests) {
        public Opened {
            Objects.requireNonNull(round, "round");
            requests = List.copyOf(requests);
        }
    }

    /**
     * Opens a round for {@code inputRequiredResult}. Our request ids are {@code idPrefix} plus a counter
     * ({@code idPrefix} must make them unique among the session's server-to-client requests). A URL-mode
     * {@code elicitation/create} gets the {@code elicitationId} 2025-11-25 requires and 2026-07-28 lacks: our id.
     *
     * @throws IllegalArgumentException if the result is no valid {@code input_required} result
     */
    public static Opened open(JsonValue.Obj originalParams, JsonValue.Obj inputRequiredResult, String idPrefix) {
        if (!inputRequiredResult.str("resultType").filter("input_required"::equals).isPresent()) {
            throw new IllegalArgumentException("not an input_required result");
        }
        Optional<JsonValue> state = inputRequiredResult.get("requestState");
        if (state.isPresent() && !(state.get() instanceof JsonValue.Str)) {
            throw new IllegalArgumentException("requestState is not a string");
        }
        Optional<JsonValue.Obj> inputRequests = inputRequiredResult.obj("inputRequests");
        if (inputRequests.isEmpty() && state.isEmpty()) {
            throw new IllegalArgumentException("an input_required result carries inputRequests or requestState");
        }
        Map<String, String> keysByOurId = new LinkedHashMap<>();
        List<ServerRequest> requests = new ArrayList<>();
        int counter = 0;
        for (Map.Entry<String, JsonValue> entry : inputRequests.orElse(JsonValue.Obj.EMPTY).members().entrySet()) {
            if (!(entry.getValue() instanceof JsonValue.Obj inputRequest) || inputRequest.str("method").isEmpty()) {
                throw new IllegalArgumentException("inputRequests entry \"" + entry.getKey() + "\" is not a request");
            }
            String ourId = idPrefix + (++counter);
            String method = inputRequest.str("method").orElseThrow();
            JsonValue.Obj params = inputRequest.obj("params").orElse(JsonValue.Obj.EMPTY);
            if (method.equals("elicitation/create") && params.str("mode").filter("url"::equals).isPresent()
                    && params.get("elicitationId").isEmpty()) {
                params = params.with("elicitationId", JsonValue.str(ourId));
            }
            JsonValue.Obj message = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", JsonValue.str(ourId),
                    "method", JsonValue.str(method), "params", params);
            keysByOurId.put(ourId, entry.getKey());
            requests.add(new ServerRequest(ourId, entry.getKey(), message));
        }
        InputRound round = new InputRound(originalParams, state.map(s -> ((JsonValue.Str) s).value()), keysByOurId, Map.of());
        return new Opened(round, requests);
    }

    /** The round with the client's {@code result} for our request {@code ourId}; empty if that id is not one of this round's. */
    public Optional<InputRound> answer(String ourId, JsonValue result) {
        String key = keysByOurId.get(ourId);
        if (key == null) {
            return Optional.empty();
        }
        Map<String, JsonValue> next = new LinkedHashMap<>(answers);
        next.put(key, result);
        return Optional.of(new InputRound(originalParams, requestState, keysByOurId, next));
    }

    /** {@code true} once every request of the round has its answer. */
    public boolean complete() {
        return answers.size() == keysByOurId.size();
    }

    /** Our ids still waiting for an answer. */
    public List<String> pendingIds() {
        return keysByOurId.entrySet().stream().filter(e -> !answers.containsKey(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * The params of the retry: the original params (without any earlier round's {@code inputResponses} and
     * {@code requestState}), the answers as {@code inputResponses}, the upstream's {@code requestState} if it sent one.
     */
    public JsonValue.Obj retryParams() {
        JsonValue.Obj params = originalParams.without("inputResponses", "requestState");
        if (!keysByOurId.isEmpty()) {
            Map<String, JsonValue> responses = new LinkedHashMap<>();
            keysByOurId.values().stream().sorted().filter(answers::containsKey).forEach(key -> responses.put(key, answers.get(key)));
            params = params.with("inputResponses", new JsonValue.Obj(responses));
        }
        return requestState.isPresent() ? params.with("requestState", JsonValue.str(requestState.get())) : params;
    }
}
