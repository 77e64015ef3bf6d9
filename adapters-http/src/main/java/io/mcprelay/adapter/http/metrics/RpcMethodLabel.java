package io.mcprelay.adapter.http.metrics;

import io.mcprelay.domain.access.RejectionReason;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bounded label values for request metrics. Method names come from clients, so only names the MCP
 * specification defines become labels; anything else is {@code "other"}, which keeps the number of
 * series fixed whatever clients send.
 */
final class RpcMethodLabel {

    static final String OTHER = "other";
    /** The label for requests that carry no JSON-RPC method (GET streams, DELETE, responses). */
    static final String NONE = "none";

    private static final Set<String> MCP_METHODS = Set.of(
            "initialize", "ping",
            "tools/list", "tools/call",
            "resources/list", "resources/read", "resources/templates/list",
            "resources/subscribe", "resources/unsubscribe",
            "prompts/list", "prompts/get",
            "completion/complete", "logging/setLevel",
            "notifications/initialized", "notifications/cancelled", "notifications/progress",
            "notifications/roots/list_changed", "notifications/message",
            "notifications/resources/updated", "notifications/resources/list_changed",
            "notifications/tools/list_changed", "notifications/prompts/list_changed",
            // 2026-07-28
            "server/discover", "subscriptions/listen", "tasks/get", "tasks/update", "tasks/cancel");

    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "PATCH");

    /** What the relay counts a POSTed body under when it is not one request or notification. */
    private static final Set<String> BODY_KINDS = Set.of("response", "batch", "invalid");

    /** Outcomes of a relayed body: {@code ok}, {@code unanswered}, and every rejection reason in lower case. */
    private static final Set<String> OUTCOMES = Stream.concat(Stream.of("ok", "unanswered", "upstream_refused", "upstream_error"),
                    Arrays.stream(RejectionReason.values()).map(reason -> reason.name().toLowerCase(Locale.ROOT)))
            .collect(Collectors.toUnmodifiableSet());

    /** The session store's operations (the methods of SessionStorePort). */
    private static final Set<String> STORE_OPERATIONS = Set.of("create", "find", "touch", "bindUpstream", "delete",
            "list", "findAll", "deleteAll", "purgeExpired", "count");

    private RpcMethodLabel() {
    }

    /** The JSON-RPC method as a label: itself if MCP defines it, {@code "none"} if absent, else {@code "other"}. */
    static String rpcMethod(String method) {
        if (method == null || method.isEmpty()) {
            return NONE;
        }
        return MCP_METHODS.contains(method) ? method : OTHER;
    }

    /** The HTTP method as a label: a standard method in upper case, else {@code "other"}. */
    static String httpMethod(String method) {
        if (method == null) {
            return OTHER;
        }
        String upper = method.toUpperCase(Locale.ROOT);
        return HTTP_METHODS.contains(upper) ? upper : OTHER;
    }

    /**
     * The method of a relayed body as a label: {@code response}, {@code batch} or {@code invalid} as
     * they are, otherwise as {@link #rpcMethod}.
     */
    static String relayedMethod(String method) {
        return method != null && BODY_KINDS.contains(method) ? method : rpcMethod(method);
    }

    /** The outcome as a label: a known outcome as it is, anything else {@code "other"}. */
    static String outcome(String outcome) {
        return outcome != null && OUTCOMES.contains(outcome) ? outcome : OTHER;
    }

    /** The store operation as a label: a SessionStorePort method name as it is, anything else {@code "other"}. */
    static String storeOperation(String operation) {
        return operation != null && STORE_OPERATIONS.contains(operation) ? operation : OTHER;
    }
}
