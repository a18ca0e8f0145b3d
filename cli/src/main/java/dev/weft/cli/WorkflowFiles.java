package dev.weft.cli;

import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.Limits;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.spec.WorkflowSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads workflow files for the commands, turning read errors into one-line user errors. */
final class WorkflowFiles {

    private WorkflowFiles() {
    }

    static Workflow read(Path file) {
        return read(file, Limits.defaults());
    }

    static Workflow read(Path file, Limits limits) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": no such file");
        }
        try {
            return new WorkflowReader(limits).read(file);
        } catch (WorkflowSpecException e) {
            throw new CliException(e.errors().stream().map(Object::toString).collect(Collectors.joining("\n")));
        } catch (IOException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
    }
}
