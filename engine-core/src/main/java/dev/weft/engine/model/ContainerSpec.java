package dev.weft.engine.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code container} or {@code script} template body, run as a local process. The image is recorded, not pulled.
 *
 * @param image      the container image (informational)
 * @param command    the command
 * @param args       its arguments
 * @param env        environment variables
 * @param workingDir the working directory
 * @param source     for scripts: the script text, written to a file and appended to the command
 */
public record ContainerSpec(Optional<String> image, List<String> command, List<String> args, List<EnvVar> env,
                            Optional<String> workingDir, Optional<String> source) {

    /** Copies. */
    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(source, "source");
    }

    /** A container running {@code command args...}. */
    public static ContainerSpec container(List<String> command, List<String> args) {
        return new ContainerSpec(Optional.empty(), command, args, List.of(), Optional.empty(), Optional.empty());
    }

    /** A script: {@code command} runs the file holding {@code source}. */
    public static ContainerSpec script(List<String> command, String source) {
        return new ContainerSpec(Optional.empty(), command, List.of(), List.of(), Optional.empty(),
                Optional.of(source));
    }
}
