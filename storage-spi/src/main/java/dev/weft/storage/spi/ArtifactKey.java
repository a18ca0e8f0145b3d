package dev.weft.storage.spi;

import java.util.Objects;

/**
 * The name of one object in an artifact store: a relative, slash-separated path such as
 * {@code my-workflow/my-workflow-123/main.tgz}.
 *
 * <p>A key is validated when it is made, so a store never sees an empty key, an absolute key, a {@code .} or
 * {@code ..} segment, an empty segment ({@code a//b}), a backslash or a control character. That keeps the mapping
 * from key to file or object name safe: no key can escape a store's root.
 *
 * @param value the key as a string, without a leading or trailing slash
 */
public record ArtifactKey(String value) implements Comparable<ArtifactKey> {

    /** Longest key accepted, in UTF-16 chars; S3 allows 1024 bytes, and stores may add a prefix. */
    public static final int MAX_LENGTH = 900;

    /** Validates the key; see the class comment for the rules. */
    public ArtifactKey {
        Objects.requireNonNull(value, "artifact key");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid artifact key '" + printable(value) + "': " + problem);
        }
    }

    /**
     * Makes a key from a string.
     *
     * @throws IllegalArgumentException naming the rule the string breaks
     */
    public static ArtifactKey of(String value) {
        return new ArtifactKey(value);
    }

    /** Whether {@code value} would make a valid key. */
    public static boolean isValid(String value) {
        return value != null && problemWith(value) == null;
    }

    /** This key with {@code relative} appended as further segments, e.g. {@code a/b} + {@code c.txt}. */
    public ArtifactKey resolve(String relative) {
        return new ArtifactKey(value + "/" + relative);
    }

    /** The last segment: the part after the last slash. */
    public String fileName() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    /** Whether this key starts with {@code prefix} as a plain string prefix (S3 listing semantics). */
    public boolean hasPrefix(String prefix) {
        return value.startsWith(prefix);
    }

    @Override
    public int compareTo(ArtifactKey other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String problemWith(String value) {
        if (value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (value.startsWith("/")) {
            return "must be relative (no leading '/')";
        }
        if (value.endsWith("/")) {
            return "must not end with '/'";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return "contains a control character at index " + i;
            }
            if (c == '\\') {
                return "contains a backslash at index " + i + " (use '/' between segments)";
            }
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                return "contains an empty segment ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "contains a '" + segment + "' segment";
            }
        }
        return null;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(200).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
