package io.mcprelay.application.service;

import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.RuleMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a rule matches, as operators read it in the admin API: {@code direction=request method=tools/call tool=delete_*}. */
final class RuleText {

    private RuleText() {
    }

    static String describe(RuleMatch match) {
        List<String> parts = new ArrayList<>();
        if (!match.directions().isEmpty()) {
            parts.add("direction=" + directions(match.directions()));
        }
        add(parts, "method", match.method());
        add(parts, "tool", match.tool());
        add(parts, "session", match.session());
        add(parts, "upstream", match.upstream());
        return parts.isEmpty() ? "any message" : String.join(" ", parts);
    }

    /** The directions in their declared order, comma-separated, by their configuration names. */
    static String directions(Set<Direction> directions) {
        return directions.stream().sorted().map(Direction::configName).collect(Collectors.joining(","));
    }

    private static void add(List<String> parts, String what, Optional<Glob> pattern) {
        pattern.ifPresent(glob -> parts.add(what + "=" + glob.pattern()));
    }
}
