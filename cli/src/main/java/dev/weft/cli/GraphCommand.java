package dev.weft.cli;

import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.expr.DefaultExpressions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft graph}: the workflow's DAG and steps templates as Mermaid or Graphviz text. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Print the DAG (and steps) templates as text for docs and reviews: Mermaid (default) or dot.")
final class GraphCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The workflow.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid", description = "mermaid or dot.")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Workflow workflow = WorkflowFiles.read(file);
        boolean dot = "dot".equalsIgnoreCase(format);
        if (!dot && !"mermaid".equalsIgnoreCase(format)) {
            throw new CliException("--format must be mermaid or dot, not '" + format + "'");
        }
        List<String> lines = new ArrayList<>();
        lines.add(dot ? "digraph workflow {" : "flowchart TD");
        DefaultExpressions expressions = new DefaultExpressions();
        for (Template template : workflow.spec().templates()) {
            if (template.dag().isPresent()) {
                lines.add(dot ? "  subgraph \"cluster_" + template.name() + "\" {"
                        : "  subgraph " + id(template.name(), "") + "[\"" + template.name() + " (dag)\"]");
                if (dot) {
                    lines.add("    label=\"" + template.name() + " (dag)\";");
                }
                for (DagTask task : template.dag().get().tasks()) {
                    String node = id(template.name(), task.name());
                    lines.add(dot ? "    \"" + node + "\" [label=\"" + task.name() + "\\n" + task.template() + "\"];"
                            : "    " + node + "[\"" + task.name() + "<br/><small>" + task.template() + "</small>\"]");
                    for (String dependency : dependencies(task, expressions)) {
                        String from = id(template.name(), dependency);
                        lines.add(dot ? "    \"" + from + "\" -> \"" + node + "\";" : "    " + from + " --> " + node);
                    }
                }
                lines.add(dot ? "  }" : "  end");
            } else if (template.steps().isPresent()) {
                List<List<dev.weft.engine.model.Step>> groups = template.steps().get();
                lines.add(dot ? "  subgraph \"cluster_" + template.name() + "\" {"
                        : "  subgraph " + id(template.name(), "") + "[\"" + template.name() + " (steps)\"]");
                if (dot) {
                    lines.add("    label=\"" + template.name() + " (steps)\";");
                }
                List<String> previous = List.of();
                for (List<dev.weft.engine.model.Step> group : groups) {
                    List<String> current = new ArrayList<>();
                    for (dev.weft.engine.model.Step step : group) {
                        String node = id(template.name(), step.name());
                        current.add(node);
                        lines.add(dot ? "    \"" + node + "\" [label=\"" + step.name() + "\"];"
                                : "    " + node + "[\"" + step.name() + "\"]");
                        for (String from : previous) {
                            lines.add(dot ? "    \"" + from + "\" -> \"" + node + "\";" : "    " + from + " --> " + node);
                        }
                    }
                    previous = current;
                }
                lines.add(dot ? "  }" : "  end");
            }
        }
        if (dot) {
            lines.add("}");
        }
        PrintWriter out = spec.commandLine().getOut();
        lines.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    private static List<String> dependencies(DagTask task, DefaultExpressions expressions) {
        if (task.depends().isPresent()) {
            return expressions.parseDepends(task.depends().get()).tasks().stream().sorted().toList();
        }
        return task.dependencies();
    }

    private static String id(String template, String task) {
        return (template + "__" + task).replaceAll("[^A-Za-z0-9_]", "_");
    }
}
