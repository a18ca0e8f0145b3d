package dev.weft.engine.history;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach a JDBC run store. The password is never printed: {@link #toString()} masks it, and masks a
 * {@code password=} parameter in the URL too.
 *
 * @param jdbcUrl      e.g. {@code jdbc:postgresql://db:5432/weft} or {@code jdbc:h2:file:/work/.weft/weft}
 * @param user         the database user
 * @param password     its password (may be empty)
 * @param maxPoolSize  connections in the pool
 * @param commitLinger how long the writer waits for more writes before committing a batch
 * @param maxBatch     at most this many writes per transaction
 */
public record RunStoreConfig(String jdbcUrl, String user, String password, int maxPoolSize, Duration commitLinger,
                             int maxBatch) {

    private static final Pattern URL_SECRET =
            Pattern.compile("(?i)((?:password|pwd|sslpassword)=)[^;&]*");

    /** Checks. */
    public RunStoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("run store URL must start with jdbc:, was " + maskUrl(jdbcUrl));
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (maxPoolSize < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("run store maxPoolSize and maxBatch must be positive");
        }
        Objects.requireNonNull(commitLinger, "commitLinger");
    }

    /** A config with the defaults: pool of 4, 2 ms linger, 1000 writes per batch. */
    public static RunStoreConfig of(String jdbcUrl, String user, String password) {
        return new RunStoreConfig(jdbcUrl, user, password, 4, Duration.ofMillis(2), 1000);
    }

    /** The URL with any password parameter masked. */
    public String maskedUrl() {
        return maskUrl(jdbcUrl);
    }

    static String maskUrl(String url) {
        return URL_SECRET.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "RunStoreConfig[jdbcUrl=" + maskedUrl() + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "***") + ", maxPoolSize=" + maxPoolSize + ", commitLinger="
                + commitLinger + ", maxBatch=" + maxBatch + "]";
    }
}
