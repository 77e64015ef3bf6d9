package io.mcprelay.application.port.in;

/**
 * Takes an upstream out of rotation on an operator's order, or puts it back. A drained upstream gets
 * no new sessions, but the sessions already on it keep reaching it until they end, so it can be
 * emptied for maintenance without cutting anyone off (HAProxy's "drain", not its "maint").
 *
 * <p>The drain is this instance's own state, not the configuration: it survives a configuration
 * reload that keeps the upstream (same name and endpoint), ends when the upstream moves to a new
 * endpoint (that is another server), and is forgotten on restart. Instances sharing a store each
 * keep their own.
 */
public interface DrainUpstreamUseCase {

    /**
     * Drains ({@code drained = true}) or enables the upstream named {@code name}; false when no
     * upstream of that name is configured or retired. Draining a drained upstream changes nothing.
     */
    boolean setDrained(String name, boolean drained);
}
