package io.mcprelay.adapter.http.out.credentials;

/**
 * mcp-relay could not get its own credentials for an upstream. The message is for people and logs:
 * it never holds a secret or a token.
 */
public final class CredentialsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean refused;

    /**
     * @param refused {@code true} when the token endpoint refused (a retry would get the same answer),
     *                {@code false} when it could not be asked or failed (a later try may work)
     */
    public CredentialsException(String message, boolean refused) {
        super(message, null, false, false);
        this.refused = refused;
    }

    /** Whether the token endpoint refused, rather than could not be reached or failed. */
    public boolean refused() {
        return refused;
    }
}
