package io.mcprelay.domain.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reverse multi round-trip translation, bridge (b): a 2025-era upstream sends a server-to-client request
 * (elicitation, sampling, roots) in the middle of a modern client's {@code tools/call}, {@code prompts/get} or
 * {@code resources/read}. mcp-relay parks the upstream stream, ends the client's exchange with an
 * {@code input_required} result whose {@code requestState} is a sealed token ({@link RequestStateSealer}), and on
 * the client's retry posts each answer upstream as the JSON-RPC response to the upstream's request.
 */
public final class ParkedQuestions {

    /** The methods whose requests may end in an {@code input_required} result. */
    public static boolean mayRequireInput(String method) {
        return switch (method) {
            case "tools/call", "prompts/get", "resources/read" -> true;
            default -> false;
        };
    }

    private ParkedQuestions() {
    }

    /** A server-to-client request the upstream sent: its JSON-RPC id (kept exactly), method and params. */
    public record Question(JsonValue upstreamId, String method, JsonValue.Obj params) {
        public Question {
            Objects.requireNonNull(upstreamId, "upstreamId");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(params, "params");
        }
    }

    /** The outcome of {@link #toInputRequired}. */
    public sealed interface Translation {
        /**
         * The {@code input_required} result for the client, and the upstream request id behind each {@code inputRequests} key
         * (kept with the parked call).
         */
        record Ask(JsonValue.Obj inputRequiredResult, Map<String, JsonValue> upstreamIdsByKey) implements Translation {
            public Ask {
                Objects.requireNonNull(inputRequiredResult, "inputRequiredResult");
                upstreamIdsByKey = Map.copyOf(upstreamIdsByKey);
            }
        }

        /**
         * A question the modern client cannot be asked (a method MRTR does not carry, or a capability the request did not
         * declare): the caller answers it upstream with a JSON-RPC error instead.
         */
        record Refuse(Question question, String reason) implements Translation {
            public Refuse {
                Objects.requireNonNull(question, "question");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** The client's answers as JSON-RPC responses for the upstream, and the keys the retry did not answer. */
    public record Answers(List<JsonValue.Obj> responses, List<String> missingKeys) {
        public Answers {
            responses = List.copyOf(responses);
            missingKeys = List.copyOf(missingKeys);
        }
    }

    /**
     * The {@code input_required} result for {@code questions} (keys {@code q1}, {@code q2}, … in order), with
     * {@code requestState} (the sealed token), or a {@link Translation.Refuse} for the first question that cannot be
     * asked given {@code clientCapabilities} (the request's envelope). A URL-mode elicitation loses its
     * {@code elicitationId}, which 2026-07-28 does not have.
     */
    public static Translation toInputRequired(List<Question> questions, JsonValue.Obj clientCapabilities, String requestState) {
        Map<String, JsonValue> inputRequests = new LinkedHashMap<>();
        Map<String, JsonValue> upstreamIds = new LinkedHashMap<>();
        int counter = 0;
        for (Question question : questions) {
            String missing = missingCapability(question, clientCapabilities);
            if (missing != null) {
                return new Translation.Refuse(question, missing);
            }
            JsonValue.Obj params = question.method().equals("elicitation/create") ? question.params().without("elicitationId") : question.params();
            String key = "q" + (++counter);
            inputRequests.put(key, JsonValue.obj("method", JsonValue.str(question.method()), "params", params));
            upstreamIds.put(key, question.upstreamId());
        }
        JsonValue.Obj result = JsonValue.obj("resultType", JsonValue.str("input_required"),
                "inputRequests", new JsonValue.Obj(inputRequests), "requestState", JsonValue.str(requestState));
        return new Translation.Ask(result, upstreamIds);
    }

    /** Why the client cannot be asked {@code question}, or {@code null} if it can. */
    private static String missingCapability(Question question, JsonValue.Obj capabilities) {
        return switch (question.method()) {
            case "elicitation/create" -> {
                boolean url = question.params().str("mode").filter("url"::equals).isPresent();
                JsonValue.Obj elicitation = capabilities.obj("elicitation").orElse(null);
                if (elicitation == null) {
                    yield "the request did not declare the elicitation capability";
                }
                boolean formOnly = elicitation.members().isEmpty(); // {} means form only
                boolean offered = url ? elicitation.get("url").isPresent() : formOnly || elicitation.get("form").isPresent();
                yield offered ? null : "the request did not declare " + (url ? "URL" : "form") + " elicitation";
            }
            case "sampling/createMessage" -> capabilities.get("sampling").isPresent() ? null : "the request did not declare the sampling capability";
            case "roots/list" -> capabilities.get("roots").isPresent() ? null : "the request did not declare the roots capability";
            default -> question.method() + " has no 2026-07-28 counterpart";
        };
    }

    /**
     * The JSON-RPC responses to post upstream for a retry's {@code inputResponses}: one per key the retry answered,
     * with the upstream's request id; the keys it left unanswered (the caller asks again with a new
     * {@code input_required} result, not an error).
     */
    public static Answers answersForUpstream(JsonValue.Obj retryParams, Map<String, JsonValue> upstreamIdsByKey) {
        JsonValue.Obj inputResponses = retryParams.obj("inputResponses").orElse(JsonValue.Obj.EMPTY);
        List<JsonValue.Obj> responses = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        upstreamIdsByKey.keySet().stream().sorted().forEach(key -> {
            if (inputResponses.get(key).isPresent()) {
                responses.add(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", upstreamIdsByKey.get(key),
                        "result", inputResponses.get(key).orElseThrow()));
            } else {
                missing.add(key);
            }
        });
        return new Answers(responses, missing);
    }
}
