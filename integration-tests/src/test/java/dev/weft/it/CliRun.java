package dev.weft.it;

import dev.weft.cli.WeftCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the {@code weft} command line in tests: in this JVM, or in a child JVM with its own environment. */
public record CliRun(int exitCode, String out, String err) {

    /** Everything printed, both streams. */
    public String all() {
        return out + err;
    }

    /** Runs the command line in this JVM. */
    public static CliRun inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = WeftCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * Runs the command line in a child JVM (the test class path, {@code dev.weft.cli.WeftCommand} as main) with extra
     * environment variables: the way to give a plugin's credential chain a real environment.
     */
    public static CliRun childProcess(Path workDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WeftCommand.class.getName()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(workDir, "weft-out", ".txt");
        Path stderr = Files.createTempFile(workDir, "weft-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(env);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("weft " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new CliRun(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
