package io.mcprelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.PrincipalMatch;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the principal conditions of a rule's {@code match} (docs/auth.md, docs/interceptors.md):
 * <pre>
 *   match: { tool: "admin_*", lacksScope: mcp:admin }          # only holders of mcp:admin get through
 *   match: { subject: "svc-*", scope: [mcp:read], claims: { azp: "ci-*" } }
 * </pre>
 * {@code scope} and {@code lacksScope} take one scope or a list.
 */
final class PrincipalMatchReader {

    static final List<String> KEYS = List.of("subject", "scope", "lacksScope", "claims");

    private final List<String> problems;

    PrincipalMatchReader(List<String> problems) {
        this.problems = problems;
    }

    PrincipalMatch read(JsonNode match, String path) {
        Optional<Glob> subject = glob(match.path("subject"), path + ".subject");
        Set<String> scopes = scopes(match.path("scope"), path + ".scope");
        Set<String> lacks = scopes(match.path("lacksScope"), path + ".lacksScope");
        Map<String, Glob> claims = new LinkedHashMap<>();
        JsonNode claimNode = match.path("claims");
        if (!claimNode.isMissingNode() && !claimNode.isNull()) {
            if (!claimNode.isObject()) {
                problems.add(path + ".claims: expected a mapping of claim name to pattern, not " + ConfigFile.describe(claimNode));
            } else {
                for (Map.Entry<String, JsonNode> claim : (Iterable<Map.Entry<String, JsonNode>>) claimNode::fields) {
                    glob(claim.getValue(), path + ".claims." + claim.getKey()).ifPresent(g -> claims.put(claim.getKey(), g));
                }
            }
        }
        return new PrincipalMatch(subject, scopes, lacks, claims);
    }

    private Optional<Glob> glob(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(path + ": expected a pattern, not " + ConfigFile.describe(node));
            return Optional.empty();
        }
        try {
            return Optional.of(new Glob(node.asText()));
        } catch (IllegalArgumentException e) {
            problems.add(path + ": not a valid pattern: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Set<String> scopes(JsonNode node, String path) {
        Set<String> scopes = new LinkedHashSet<>();
        if (node.isMissingNode() || node.isNull()) {
            return scopes;
        }
        Iterable<JsonNode> items = node.isArray() ? node : List.of(node);
        for (JsonNode item : items) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().contains(" ")) {
                problems.add(path + ": expected a scope (text without spaces) or a list of them, not " + ConfigFile.describe(item));
            } else {
                scopes.add(item.asText());
            }
        }
        return scopes;
    }
}
