package io.mcprelay.domain.bridge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of a request bridge (a) sends a modern upstream for a 2025-era client: what of the client's
 * request may travel (credentials, trace context, as the header policy let through) without what belongs to
 * the client's own era or content negotiation ({@code MCP-Protocol-Version}, every {@code Mcp-*} header,
 * {@code Accept}, {@code Content-Type}: the transport sets those for the modern call), plus the call's own
 * routing headers ({@link RoutingHeaders#derive}).
 */
public final class BridgeCallHeaders {

    private BridgeCallHeaders() {
    }

    /** {@code clientValues} without the client's era and negotiation headers, then {@code routing}. */
    public static Map<String, String> of(Map<String, String> clientValues, Map<String, String> routing) {
        Map<String, String> out = new LinkedHashMap<>();
        clientValues.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.startsWith("mcp-") && !n.equals("accept") && !n.equals("content-type")) {
                out.put(name, value);
            }
        });
        out.putAll(routing);
        return out;
    }
}
