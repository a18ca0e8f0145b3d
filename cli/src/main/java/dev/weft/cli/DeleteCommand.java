package dev.weft.cli;

import dev.weft.engine.Engine;
import dev.weft.engine.exec.NoArtifactStager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft delete NAME...}: removes recorded runs with their nodes, events and logs (not their artifacts). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete recorded runs with their nodes, events and logs. Artifacts stay in the repository.")
final class DeleteCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The runs' names (see weft list).")
    List<String> names;

    @Mixin
    HistoryOptions history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = ExitCodes.OK;
        // nothing runs: no sandbox, no artifact store
        try (Engine engine = Engine.builder().config(history.engineConfig()).artifactStager(new NoArtifactStager())
                .runStore(history.open()).build()) {
            for (String name : names) {
                try {
                    if (engine.runs().delete(name)) {
                        out.println("Workflow " + name + " deleted");
                    } else {
                        err.println("weft: no run named '" + name + "' in the run store (see weft list)");
                        exit = ExitCodes.USAGE;
                    }
                } catch (IllegalStateException e) {
                    err.println("weft: " + e.getMessage());
                    exit = ExitCodes.USAGE;
                }
            }
        }
        out.flush();
        err.flush();
        return exit;
    }
}
