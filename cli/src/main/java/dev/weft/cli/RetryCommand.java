package dev.weft.cli;

import dev.weft.cli.handlers.WordCountHandler;
import dev.weft.engine.Engine;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft retry NAME}: runs a failed run again from where it failed, as {@code argo retry}: succeeded nodes keep
 * their outputs, the others run again, and so does what depends on them.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Run a failed or errored run again: succeeded nodes are kept, the rest run again.")
final class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The run's name (see weft list).")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "Cancel the run after this long (ISO-8601). Default PT24H.")
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
        try (Engine engine = Engine.builder().config(history.engineConfig()).storage(store.storageSettings())
                .probeSandbox().runStore(history.open()).handler(WordCountHandler.NAME, new WordCountHandler())
                .build()) {
            WorkflowRun run;
            try {
                run = engine.runs().retry(name);
            } catch (NoSuchElementException | IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
            out.println("Retrying " + run.name());
            out.flush();
            RunResult result;
            try {
                result = run.await(timeout);
            } catch (TimeoutException e) {
                run.cancel();
                out.println("Workflow " + run.name() + " exceeded --timeout " + timeout + "; cancelled");
                out.flush();
                return ExitCodes.CANCELLED;
            }
            out.println("Workflow " + result.name() + " " + result.phase().argoName()
                    + (result.message().isEmpty() ? "" : ": " + result.message()));
            out.flush();
            return RunCommand.exitCode(result);
        }
    }
}
