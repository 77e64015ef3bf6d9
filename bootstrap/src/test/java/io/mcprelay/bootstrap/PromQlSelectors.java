package io.mcprelay.bootstrap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression, enough of PromQL for a dashboard's queries: each metric
 * name with the label names its matchers use. Function names (an identifier before "("), keywords,
 * grouping clauses ({@code by (...)}), ranges ({@code [5m]}) and numbers are not metric names.
 */
final class PromQlSelectors {

    /** One selector: {@code name{label="..."}} gives the name and the labels it matches on. */
    record Selector(String metric, Set<String> labels) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern TOKEN = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*(\\()?");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    /** Grafana's {@code label_values(metric, label)} in a template variable. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private PromQlSelectors() {
    }

    static List<Selector> of(String expression) {
        List<Selector> selectors = new ArrayList<>();
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.find()) {
            selectors.add(new Selector(labelValues.group(1), Set.of()));
            return selectors;
        }
        String text = RANGE.matcher(GROUPING.matcher(expression).replaceAll(" ")).replaceAll(" ");
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            String name = token.group(1);
            String matchers = token.group(2);
            boolean call = token.group(3) != null && matchers == null;
            if (call || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            Set<String> labels = new LinkedHashSet<>();
            if (matchers != null) {
                Matcher label = MATCHER_LABEL.matcher(STRING.matcher(matchers).replaceAll("\"\""));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
            selectors.add(new Selector(name, labels));
        }
        return selectors;
    }
}
