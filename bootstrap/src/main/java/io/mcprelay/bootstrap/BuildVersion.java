package io.mcprelay.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * mcp-relay's version as the build gave it: Maven filters {@code ${project.version}} into
 * {@code build.properties} next to this class, which works the same on the class path and the module
 * path (a jar manifest's Implementation-Version does not reach classes run from target/classes).
 * Shown by {@code --version}, in {@code /health}, in the admin UI and as {@code mcp_relay_build_info}.
 */
final class BuildVersion {

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static final String VERSION = read();

    private BuildVersion() {
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing: build mcp-relay with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("build.properties was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
