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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weft resume}: takes up the recorded runs whose engine stopped and runs them to their end. Finished nodes
 * are not run again; nodes that were running end in Error and their retry strategy decides.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue the runs in the store whose engine stopped (after its lease ran out).")
final class ResumeCommand implements Callable<Integer> {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "Cancel the runs after this long (ISO-8601). Default PT24H.")
    Duration timeout;

    @Mixin
    HistoryOptions history;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = Engine.builder().storage(store.storageSettings()).probeSandbox()
                .runStore(history.open()).handler(WordCountHandler.NAME, new WordCountHandler()).build()) {
            List<WorkflowRun> runs = engine.resumeUnfinished();
            if (runs.isEmpty()) {
                out.println("No unfinished runs to resume (a run is taken up once its engine's lease has run out).");
                out.flush();
                return ExitCodes.OK;
            }
            int exit = ExitCodes.OK;
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
