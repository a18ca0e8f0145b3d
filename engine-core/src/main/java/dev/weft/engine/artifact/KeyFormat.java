package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An artifact repository's {@code keyFormat}: a template such as {@code {{workflow.name}}/{{pod.name}}} whose
 * {@code {{variable}}} references are replaced from a map. Like Argo, the key of an output artifact is the rendered
 * template joined with the strategy's file name ({@link ArchiveStrategy#fileName}), e.g.
 * {@code my-wf/my-wf-main-123/result.tgz}.
 *
 * <p>Variables Argo offers here: {@code workflow.name}, {@code workflow.namespace}, {@code workflow.uid},
 * {@code workflow.creationTimestamp.<c>} for the strftime characters in {@link #timestampVariables(Instant)},
 * {@code pod.name}, plus, in Weft, {@code node.name}, {@code task.name} and {@code artifact.name}. The caller builds
 * the map; a reference to a variable the map lacks is an error, never an empty string (that would silently merge
 * keys of different runs).
 *
 * @param template the template text
 */
public record KeyFormat(String template) {

    /** Argo's default when the repository sets none. */
    public static final String DEFAULT_TEMPLATE = "{{workflow.name}}/{{pod.name}}";

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    /** Checks the template is not blank. */
    public KeyFormat {
        Objects.requireNonNull(template, "keyFormat");
        if (template.isBlank()) {
            throw new IllegalArgumentException("keyFormat must not be blank");
        }
    }

    /** The default format, {@value #DEFAULT_TEMPLATE}. */
    public static KeyFormat defaultFormat() {
        return new KeyFormat(DEFAULT_TEMPLATE);
    }

    /**
     * Replaces every {@code {{variable}}} and validates the result as a key prefix.
     *
     * @throws IllegalArgumentException naming the template and the missing variable, or the key rule broken
     */
    public ArtifactKey render(Map<String, String> variables) {
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("keyFormat '" + template + "': no value for variable '" + name
                        + "' (known: " + variables.keySet() + ")");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        String rendered = out.toString();
        if (rendered.contains("{{")) {
            throw new IllegalArgumentException("keyFormat '" + template + "': malformed variable reference in '"
                    + rendered + "'");
        }
        try {
            return ArtifactKey.of(rendered);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keyFormat '" + template + "' rendered an " + e.getMessage(), e);
        }
    }

    /**
     * The key of an output artifact: the rendered template joined with the strategy's file name, as Argo does
     * ({@code <keyFormat>/<artifact>.tgz}, {@code .zip}, or the file's own name for {@code none}).
     */
    public ArtifactKey outputKey(Map<String, String> variables, String artifactName, ArchiveStrategy strategy,
                                 Path source) {
        String fileName = strategy.fileName(artifactName, source);
        try {
            return render(variables).resolve(fileName);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("keyFormat")) {
                throw e;
            }
            throw new IllegalArgumentException("artifact '" + artifactName + "': file name '" + fileName
                    + "' makes an " + e.getMessage(), e);
        }
    }

    /**
     * The {@code workflow.creationTimestamp.*} variables Argo offers in key formats, in UTC: {@code Y} (2026),
     * {@code y} (26), {@code m} (01-12), {@code d} (01-31), {@code H} (00-23), {@code M} (00-59), {@code S} (00-60),
     * {@code j} (day of year, 001-366), {@code s} (seconds since the epoch), and {@code workflow.creationTimestamp}
     * itself as RFC 3339.
     */
    public static Map<String, String> timestampVariables(Instant creation) {
        ZonedDateTime t = creation.atZone(ZoneOffset.UTC);
        String prefix = "workflow.creationTimestamp";
        Map<String, String> out = new LinkedHashMap<>();
        out.put(prefix, t.withNano(0).toInstant().toString());
        out.put(prefix + ".Y", String.format("%04d", t.getYear()));
        out.put(prefix + ".y", String.format("%02d", t.getYear() % 100));
        out.put(prefix + ".m", String.format("%02d", t.getMonthValue()));
        out.put(prefix + ".d", String.format("%02d", t.getDayOfMonth()));
        out.put(prefix + ".H", String.format("%02d", t.getHour()));
        out.put(prefix + ".M", String.format("%02d", t.getMinute()));
        out.put(prefix + ".S", String.format("%02d", t.getSecond()));
        out.put(prefix + ".j", String.format("%03d", t.getDayOfYear()));
        out.put(prefix + ".s", Long.toString(creation.getEpochSecond()));
        return out;
    }
}
