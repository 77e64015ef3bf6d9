package io.mcprelay.domain.session;

import java.util.Objects;

/** The {@code clientInfo} a client declared in its initialize request; "unknown" when it sent none. */
public record ClientInfo(String name, String version) {

    public static final ClientInfo UNKNOWN = new ClientInfo("unknown", "");

    public ClientInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        name = name.length() > 256 ? name.substring(0, 256) : name;
        version = version.length() > 64 ? version.substring(0, 64) : version;
    }
}
