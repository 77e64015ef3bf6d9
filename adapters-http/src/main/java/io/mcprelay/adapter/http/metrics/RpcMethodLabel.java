package io.mcprelay.adapter.http.metrics;

import java.util.Locale;
import java.util.Set;

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
            "notifications/tools/list_changed", "notifications/prompts/list_changed");

    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "PATCH");

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
}
