package dev.weft.engine.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo duration strings: Go durations ({@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 500ms}) or a plain number of
 * seconds ({@code "10"}), as Argo accepts for backoff durations.
 */
public final class Durations {

    private static final Pattern PLAIN = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** Parses, or empty when the text is not a duration. */
    public static Optional<Duration> parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (PLAIN.matcher(s).matches()) {
            return Optional.of(Duration.ofNanos((long) (Double.parseDouble(s) * 1e9)));
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return Optional.empty();
            }
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        return Optional.of(Duration.ofNanos((long) nanos));
    }

    /** Whether the text contains a {@code {{...}}} placeholder (checked only after substitution). */
    public static boolean isTemplated(String text) {
        return text.contains("{{");
    }
}
