package dev.weft.cli;

import dev.weft.engine.Engine;
import dev.weft.engine.exec.NoArtifactStager;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.cli.handlers.WordCountHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft validate}: checks workflow files without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check workflow files without running anything: every error with file, field path and reason.",
                "Exit code 0 when all are valid, 2 otherwise."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Mixin
    LimitOptions limits;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int invalid = 0;
        // No plugins, no sandbox: validation runs nothing.
        try (Engine engine = Engine.builder().config(limits.engineConfig()).artifactStager(new NoArtifactStager())
                .handler(WordCountHandler.NAME, new WordCountHandler()).build()) {
            WorkflowReader reader = new WorkflowReader(engine.config().limits());
            for (Path file : files) {
                String name = file.toString();
                try {
                    if (!Files.isRegularFile(file)) {
                        throw new CliException(name + ": no such file");
                    }
                    Workflow workflow = reader.read(file);
                    engine.validate(workflow, name);
                    out.println(name + ": valid");
                } catch (WorkflowSpecException e) {
                    invalid++;
                    e.errors().forEach(err::println);
                } catch (CliException | IOException e) {
                    invalid++;
                    err.println(e.getMessage());
                }
            }
        }
        out.flush();
        err.flush();
        return invalid == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
}
