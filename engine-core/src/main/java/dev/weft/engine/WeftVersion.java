package dev.weft.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Weft build, as Maven stamped it. */
public final class WeftVersion {

    private WeftVersion() {
    }

    /** The full version, e.g. {@code 1.0.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = WeftVersion.class.getResourceAsStream("weft-version.properties")) {
            if (in == null) {
                return "0.0.0-unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "0.0.0-unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version plugins are checked against ({@code Plugin-Requires}): the release part only, so that a
     * {@code 1.0.0-SNAPSHOT} host accepts plugins requiring {@code >=1.0.0} (semver orders pre-releases first).
     */
    public static String forPluginChecks() {
        String version = current();
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }
}
