package io.mcprelay.domain.limit;

/**
 * The limits a request can run into, each with the name the client's error, the metrics and the
 * configuration use. A bounded set: metrics label by it, never by a tool or caller.
 */
public enum LimitKind {
    /** The token bucket of each principal (of each session while clients do not authenticate). */
    PER_PRINCIPAL("per-principal"),
    /** The token bucket of one tool, shared by every caller of it. */
    PER_TOOL("per-tool"),
    /** The one token bucket of every request. */
    GLOBAL("global"),
    /** The requests one session may have in flight ({@code --session-max-requests}): a concurrency limit. */
    SESSION_MAX_REQUESTS("session-max-requests");

    private final String label;

    LimitKind(String label) {
        this.label = label;
    }

    /** The name clients, metrics and the configuration see, e.g. {@code per-principal}. */
    public String label() {
        return label;
    }
}
