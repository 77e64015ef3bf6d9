package io.mcprelay.application.port.in;

import java.util.Objects;
import java.util.Optional;

/**
 * The credentials of one request.
 *
 * @param authorization the {@code Authorization} header, if present (repeated ones joined with ", ",
 *                      which no valid token contains)
 */
public record AuthenticateRequestCommand(Optional<String> authorization) {

    public AuthenticateRequestCommand {
        Objects.requireNonNull(authorization, "authorization");
    }
}
