package io.mcprelay.domain.era;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.util.Optional;

/**
 * Decides each POSTed message's era before any session rule, as the official SDK's
 * {@code classifyInboundRequest} does: the body first, the headers only cross-checked.
 *
 * <ul>
 *   <li>Batches and posted responses are legacy (the modern era has neither).</li>
 *   <li>A request or notification whose {@code params._meta["io.modelcontextprotocol/protocolVersion"]}
 *       is present belongs to the era of that version: legacy for a 2025-era date, modern for anything
 *       else (a later date, or a version no revision has, which the modern path refuses with
 *       {@code -32022} as the SDK's server does); a modern one must carry the same version in its
 *       version claim (header), else 400 / {@code -32020}.</li>
 *   <li>Without that claim in the body: a modern version header on {@code initialize} is a mismatch
 *       ({@code -32020}), on another request a bad envelope ({@code -32602}); a notification is
 *       modern (the specification defines no header rules for notification POSTs). Without a modern
 *       version header the message is legacy, whatever it is ({@code initialize} included).</li>
 *   <li>A modern request's {@code Mcp-Method} claim must be present and equal {@code method}; its
 *       {@code Mcp-Name} claim must be present for the methods that route by name, and equal the
 *       body value once decoded; every {@code Mcp-Param-*} value must be validly encoded (their
 *       match to the arguments needs the tool's schema, which is the upstream's to check, so they
 *       travel on untouched).</li>
 * </ul>
 *
 * <p>Every refusal answers the request's id, and carries {@code -32020} or {@code -32602}: codes a
 * dual-era client reads as "the modern era is spoken here", so it corrects the request instead of
 * falling back to {@code initialize}. Legacy messages never get them.
 */
public final class EraClassifier {

    private EraClassifier() {
    }

    /** The era of {@code payload}, given what its transport claimed beside it. */
    public static EraDecision classify(JsonRpcPayload payload, RoutingClaims claims) {
        if (!(payload instanceof JsonRpcPayload.Single single)) {
            return new EraDecision.Legacy();
        }
        JsonRpcMessage message = single.message();
        String method;
        McpFacts facts;
        Optional<RequestId> id;
        switch (message) {
            case JsonRpcMessage.Request request -> {
                method = request.method();
                facts = request.facts();
                id = Optional.of(request.id());
            }
            case JsonRpcMessage.Notification notification -> {
                method = notification.method();
                facts = notification.facts();
                id = Optional.empty();
            }
            default -> {
                return new EraDecision.Legacy();
            }
        }
        boolean headerModern = ProtocolEra.of(claims.protocolVersion()) == ProtocolEra.MODERN;
        Optional<String> bodyVersion = facts.metaProtocolVersion();
        if (bodyVersion.isEmpty()) {
            if (!headerModern) {
                return new EraDecision.Legacy();
            }
            if (message.isInitialize()) {
                return refused(RejectionReason.MODERN_HEADER_MISMATCH, id, "Header mismatch: initialize belongs to the 2025 era, yet"
                        + " MCP-Protocol-Version names " + printable(claims.protocolVersion().orElseThrow()));
            }
            if (id.isPresent()) {
                return refused(RejectionReason.MODERN_INVALID_PARAMS, id, "Invalid params: MCP-Protocol-Version names "
                        + printable(claims.protocolVersion().orElseThrow())
                        + " but params._meta carries no io.modelcontextprotocol/protocolVersion");
            }
            return new EraDecision.Modern(claims.protocolVersion().orElseThrow().strip());
        }
        String version = bodyVersion.get();
        // the envelope key is the modern era's own: a claim that names no legacy revision (a later date, or
        // no date at all, e.g. "v999.0.0") is a modern request, answered -32022 when no upstream serves it
        if (ProtocolEra.isLegacyRevision(version)) {
            if (headerModern) {
                return refused(RejectionReason.MODERN_HEADER_MISMATCH, id, "Header mismatch: MCP-Protocol-Version "
                        + printable(claims.protocolVersion().orElseThrow()) + " differs from the body's protocol version " + printable(version));
            }
            return new EraDecision.Legacy();
        }
        Optional<Rejection> mismatch = mismatch(method, facts, version, claims, id.isPresent());
        if (mismatch.isPresent()) {
            Rejection rejection = mismatch.get();
            return new EraDecision.Refused(id.map(rejection::answering).orElse(rejection));
        }
        return new EraDecision.Modern(version);
    }

    private static Optional<Rejection> mismatch(String method, McpFacts facts, String version, RoutingClaims claims, boolean request) {
        if (claims.protocolVersion().isEmpty()) {
            if (request) {
                return mismatch("MCP-Protocol-Version is required on every request (the body claims " + printable(version) + ")");
            }
        } else if (!claims.protocolVersion().get().strip().equals(version)) {
            return mismatch("MCP-Protocol-Version " + printable(claims.protocolVersion().get())
                    + " differs from the body's protocol version " + printable(version));
        }
        if (claims.method().isPresent() && !claims.method().get().strip().equals(method)) {
            return mismatch("Mcp-Method " + printable(claims.method().get()) + " differs from the body's method " + printable(method));
        }
        if (claims.method().isEmpty() && request) {
            return mismatch("Mcp-Method is required on every request (the body's method is " + printable(method) + ")");
        }
        Optional<String> nameMember = McpFacts.routedNameMember(method);
        if (nameMember.isPresent() && request) {
            Optional<String> bodyName = facts.routedName();
            if (claims.name().isEmpty()) {
                if (bodyName.isPresent()) {
                    return mismatch("Mcp-Name is required for " + method + " (the body's params." + nameMember.get() + " is "
                            + printable(bodyName.get()) + ")");
                }
            } else {
                Optional<String> decoded = RoutingValue.decode(claims.name().get());
                if (decoded.isEmpty()) {
                    return mismatch("Mcp-Name is not validly encoded (non-ASCII values go as =?base64?...?=)");
                }
                if (bodyName.isEmpty() || !bodyName.get().equals(decoded.get())) {
                    return mismatch("Mcp-Name " + printable(decoded.get()) + " differs from the body's params." + nameMember.get()
                            + bodyName.map(n -> " " + printable(n)).orElse(" (absent)"));
                }
            }
        }
        for (var param : claims.params().entrySet()) {
            if (RoutingValue.decode(param.getValue()).isEmpty()) {
                return mismatch("Mcp-Param-" + param.getKey().replaceAll("[^\\x20-\\x7E]", "?") + " is not validly encoded (non-ASCII values go as =?base64?...?=)");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> mismatch(String why) {
        return Optional.of(Rejection.of(RejectionReason.MODERN_HEADER_MISMATCH, "Header mismatch: " + why));
    }

    private static EraDecision refused(RejectionReason reason, Optional<RequestId> id, String detail) {
        Rejection rejection = Rejection.of(reason, detail);
        return new EraDecision.Refused(id.map(rejection::answering).orElse(rejection));
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7E]", "?");
        return "\"" + (p.length() > 60 ? p.substring(0, 60) + "..." : p) + "\"";
    }
}
