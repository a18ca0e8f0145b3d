package dev.weft.cli;

import dev.weft.cli.handlers.WordCountHandler;
import dev.weft.engine.Engine;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weft resume}: takes up the recorded runs whose engine stopped and runs them to their end. Finished nodes
 * are not run again; nodes that were running end in Error and their retry strategy decides.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue the runs in the store whose engine stopped (after its lease ran out).")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "Only these runs (default: every unfinished run no engine holds).")
    List<String> names = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "Cancel the runs after this long (ISO-8601). Default PT24H.")
    Duration timeout;

    @Mixin
    HistoryOptions history;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /** How many named runs could not be resumed. */
    private int refused;

    private List<WorkflowRun> byName(Engine engine) {
        List<WorkflowRun> runs = new java.util.ArrayList<>();
        for (String name : names) {
            try {
                runs.add(engine.runs().resume(name));
            } catch (java.util.NoSuchElementException | IllegalStateException e) {
                refused++; // the others go on: a run that cannot be resumed must not hold up the rest
                spec.commandLine().getErr().println("weft: " + e.getMessage());
                spec.commandLine().getErr().flush();
            }
        }
        return runs;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = Engine.builder().config(history.engineConfig()).storage(store.storageSettings())
                .probeSandbox().runStore(history.open()).handler(WordCountHandler.NAME, new WordCountHandler())
                .build()) {
            List<WorkflowRun> runs = names.isEmpty() ? engine.resumeUnfinished() : byName(engine);
            if (runs.isEmpty()) {
                out.println(refused > 0 ? "Nothing resumed." : "No unfinished runs to resume (a run is taken up once"
                        + " its engine's lease has run out).");
                out.flush();
                return refused > 0 ? ExitCodes.USAGE : ExitCodes.OK;
            }
            int exit = refused > 0 ? ExitCodes.USAGE : ExitCodes.OK;
            for (WorkflowRun run : runs) {
                out.println("Resuming " + run.name());
            }
            out.flush();
            for (WorkflowRun run : runs) {
                RunResult result;
                try {
                    result = run.await(timeout);
                } catch (java.util.concurrent.TimeoutException e) {
                    run.cancel();
                    out.println("Workflow " + run.name() + " exceeded --timeout " + timeout + "; cancelled");
                    exit = Math.max(exit, ExitCodes.CANCELLED);
                    continue;
                }
                out.println("Workflow " + result.name() + " " + result.phase().argoName()
                        + (result.message().isEmpty() ? "" : ": " + result.message()));
                exit = Math.max(exit, RunCommand.exitCode(result));
            }
            out.flush();
            return exit;
        }
    }
}
