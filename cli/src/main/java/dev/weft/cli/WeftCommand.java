package dev.weft.cli;

import dev.weft.engine.WeftVersion;
import dev.weft.storage.spi.ArtifactStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line: the root command and its wiring. */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftCommand.Version.class,
        description = "Run Argo Workflows specs inside the JVM.",
        subcommands = {RunCommand.class, ValidateCommand.class, GraphCommand.class, PluginsCommand.class,
                CredentialsCommand.class, ListCommand.class, GetCommand.class, LogsCommand.class,
                ResumeCommand.class, RetryCommand.class, DeleteCommand.class, CommandLine.HelpCommand.class})
public final class WeftCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, validate, graph, "
                + "plugins, credentials, list, get, logs or resume (see weft --help)");
    }

    /** A command line with Weft's error handling: user errors print one line and exit with {@code 2}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new WeftCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException || e instanceof ArtifactStoreException) {
                cmd.getErr().println("weft: " + e.getMessage());
                cmd.getErr().flush();
                return e instanceof ArtifactStoreException ase
                        && ase.kind() == ArtifactStoreException.Kind.CREDENTIALS_UNAVAILABLE
                        ? ExitCodes.NO_CREDENTIALS : ExitCodes.USAGE;
            }
            throw e;
        });
        return commandLine;
    }

    /** Entry point of the runnable JAR. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Prints the build's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"weft " + WeftVersion.current(), "Java " + System.getProperty("java.version")};
        }
    }
}
