package dev.weft.engine.task.process;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces exact occurrences of a task's own paths in text by their host locations, for modes without a private
 * file system view. An occurrence counts only as a whole path: {@code /tmp} matches in {@code > /tmp/out} and
 * {@code TMP=/tmp}, not in {@code /var/tmp}, {@code /tmpx} or {@code ${HOME}/tmp}. Longer paths win over their
 * prefixes, and text that already names the task's host directory is left alone.
 */
final class PathRewriter {

    /** Characters that, just before a path, show it continues an earlier word or expression. */
    private static final String BEFORE = "A-Za-z0-9._~/})$\\\\-";
    /** Characters that, just after a path, show the name goes on ({@code /tmpx}). */
    private static final String AFTER = "A-Za-z0-9._~-";

    private final Pattern pattern;
    private final Function<String, String> hostLocation;
    private final String hostRoot;

    /**
     * @param ownedPaths   normalized task paths to rewrite
     * @param hostLocation the host location of one such path
     * @param hostRoot     the task's host directory as text; occurrences inside it are never rewritten again
     */
    PathRewriter(List<String> ownedPaths, Function<String, String> hostLocation, String hostRoot) {
        this.hostLocation = hostLocation;
        this.hostRoot = hostRoot;
        if (ownedPaths.isEmpty()) {
            this.pattern = null;
        } else {
            String alternatives = ownedPaths.stream()
                    .distinct()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|"));
            this.pattern = Pattern.compile("(?<![" + BEFORE + "])(?:" + alternatives + ")(?![" + AFTER + "])");
        }
    }

    /** The text with every owned path replaced by its host location. */
    String rewrite(String text) {
        if (pattern == null || text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (matcher.find()) {
            if (text.startsWith(hostRoot, matcher.start())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 64);
            }
            out.append(text, copied, matcher.start()).append(hostLocation.apply(matcher.group()));
            copied = matcher.end();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }
}
