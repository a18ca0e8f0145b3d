package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code benchmarks/results/latest.md}: a header describing the machine, then one section per scenario. Running a
 * subset of the scenarios replaces only their sections, so every section says when and under what load it was
 * measured; within a section Weft and its baseline always come from the same run.
 */
public final class ResultsDocument {

    private static final Pattern SECTION = Pattern.compile(
            "<!-- scenario:(\\S+) -->\\n(.*?)<!-- /scenario:\\1 -->\\n", Pattern.DOTALL);

    private final Path file;
    private final List<String> order;

    /**
     * @param file  the Markdown file to update
     * @param order every scenario name in the order the sections appear
     */
    public ResultsDocument(Path file, List<String> order) {
        this.file = file;
        this.order = List.copyOf(order);
    }

    /** Markdown for one scenario's rows: a heading with when/how it ran, then the table. */
    public static String section(String title, String context, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(title).append("\n\n").append(context).append("\n\n");
        out.append("| figure | Weft median (min–max) | baseline | baseline median (min–max) | ratio | goal | holds |"
                + " note |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.figure())
                    .append(" | ").append(cell(row.weft(), row.unit()))
                    .append(" | ").append(row.baseline())
                    .append(" | ").append(row.reference().map(r -> cell(r, row.unit())).orElse("—"))
                    .append(" | ").append(row.ratio().map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("—"))
                    .append(" | ").append(row.goal().text())
                    .append(" | ").append(row.verdict())
                    .append(" | ").append(row.note())
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Replaces (or adds) the given sections and rewrites the header; returns the whole document. */
    public String update(String header, Map<String, String> sections) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        if (Files.exists(file)) {
            Matcher m = SECTION.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                all.put(m.group(1), m.group(2));
            }
        }
        all.putAll(sections);
        StringBuilder out = new StringBuilder(header).append('\n');
        List<String> names = new ArrayList<>(order);
        all.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        for (String name : names) {
            String body = all.get(name);
            if (body != null) {
                out.append("<!-- scenario:").append(name).append(" -->\n").append(body)
                        .append("<!-- /scenario:").append(name).append(" -->\n");
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        return out.toString();
    }

    private static String cell(Samples s, String unit) {
        return format(s.median()) + " " + unit + " (" + format(s.min()) + "–" + format(s.max()) + ")";
    }

    /** Three significant digits, without scientific notation. */
    public static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v) && a >= 10) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
