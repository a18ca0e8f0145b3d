package dev.weft.engine.task.process;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Rewrites {@code ownedPaths} to their places in a task's directory. */
    static PathRewriter forTask(TaskDirectory dir, List<String> ownedPaths) {
        return new PathRewriter(ownedPaths, p -> dir.hostPath(p).toString(), dir.dir().toString());
    }

    /** Each argument rewritten. */
    List<String> rewriteAll(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(rewrite(text));
        }
        return out;
    }

    /** The values rewritten, the names kept, in order. */
    Map<String, String> rewriteValues(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, rewrite(v)));
        return out;
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
