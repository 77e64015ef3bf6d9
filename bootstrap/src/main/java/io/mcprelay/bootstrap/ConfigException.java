package io.mcprelay.bootstrap;

import java.util.List;

/**
 * The configuration cannot be used: every problem found, each naming the key, variable or flag and
 * what is wrong with it. Start-up prints them and exits with status 2; a reload logs them and keeps
 * the configuration it has.
 */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration problem needs a description");
        }
        this.problems = List.copyOf(problems);
    }

    ConfigException(String problem) {
        this(List.of(problem));
    }

    /** The problems, in the order they were found. */
    List<String> problems() {
        return problems;
    }
}
