package dev.daneel.inet.internal;

import java.nio.file.Path;
import java.util.Optional;

/** Where the provider's configuration file is: the system property, else the environment variable. */
public final class ConfigLocation {

    /** The system property naming the configuration file. */
    public static final String PROPERTY = "daneel.inet.config";
    /** The environment variable naming it when the system property is not set. */
    public static final String ENVIRONMENT = "DANEEL_INET_CONFIG";

    private ConfigLocation() {
    }

    /** The file named by {@link #PROPERTY}, else by {@link #ENVIRONMENT}, read at each call. */
    public static Optional<Path> fromSystem() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENVIRONMENT);
        }
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p.strip()));
    }
}
