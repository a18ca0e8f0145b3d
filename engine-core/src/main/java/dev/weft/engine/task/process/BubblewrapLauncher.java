package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IsolationMode#BUBBLEWRAP} and {@link IsolationMode#BUBBLEWRAP_USERNS}: the task's root directory becomes
 * its {@code /}, with the host bound read-only around the task's own paths.
 *
 * <p>bubblewrap reports its own setup failures with exit code 1, like any command. So a tiny {@code sh} opens the
 * status file as fd 3 and execs bwrap with {@code --json-status-fd 3}: bwrap writes {@code "exit-code"} there only
 * when the command actually ran. The fd is not inherited by the command.
 */
final class BubblewrapLauncher implements ModeLauncher {

    /** $0 is the status file; the rest is bwrap's argv. */
    private static final String STATUS_WRAPPER = "exec 3>\"$0\" && exec \"$@\"";

    private final TaskDirectory dir;
    private final HostTools tools;
    private final boolean userNamespace;
    private final BubblewrapLayout layout;

    BubblewrapLauncher(TaskDirectory dir, HostTools tools, boolean userNamespace, Collection<String> ownedPaths)
            throws IOException {
        this.dir = dir;
        this.tools = tools;
        this.userNamespace = userNamespace;
        this.layout = BubblewrapLayout.create(dir.root(), ownedPaths);
    }

    @Override
    public LaunchSpec plan(List<String> argv, Map<String, String> env, Optional<String> workingDir)
            throws IOException {
        // The task owns its whole root here, so start where a container starts: in '/' (Argo examples write
        // relative paths such as result.txt and declare them as /result.txt). Other modes start in the private /tmp.
        String chdir = workingDir.map(wd -> SandboxPaths.normalize(wd, "workingDir")).orElse("/");
        if (!layout.isHostBound(chdir)) {
            // Like a container runtime, create a working directory that the task owns.
            Files.createDirectories(dir.hostPath(chdir));
        }
        List<String> command = new ArrayList<>();
        command.add(tools.shell().orElseThrow().toString());
        command.add("-c");
        command.add(STATUS_WRAPPER);
        command.add(dir.status().toString());
        command.add(tools.bwrap().orElseThrow().toString());
        command.add("--bind");
        command.add(dir.root().toString());
        command.add("/");
        command.addAll(layout.bindArgs());
        if (userNamespace) {
            command.add("--unshare-user");
        }
        command.addAll(List.of("--unshare-pid", "--die-with-parent", "--new-session",
                "--json-status-fd", "3", "--chdir", chdir, "--"));
        command.addAll(argv);
        return new LaunchSpec(command, withPrivateTmpDir(env), dir.dir());
    }

    /** The host's TMPDIR may name a directory that is read-only in the task's view; its own /tmp is not. */
    static Map<String, String> withPrivateTmpDir(Map<String, String> env) {
        Map<String, String> withTmp = new LinkedHashMap<>();
        withTmp.put("TMPDIR", SandboxPaths.TMP);
        withTmp.putAll(env);
        return withTmp;
    }

    @Override
    public Optional<String> sandboxFailure(int exitCode) {
        String status;
        try {
            status = Files.exists(dir.status()) ? Files.readString(dir.status(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            status = "";
        }
        if (status.contains("\"exit-code\"") || exitCode >= SIGNAL_EXIT) {
            // The command ran, or something killed bwrap itself: report the exit code as it is.
            return Optional.empty();
        }
        return Optional.of(FailureMessages.fromStderr(dir.stderr(),
                "bubblewrap exited with code " + exitCode + " before the command ran"));
    }

    @Override
    public boolean signalStartedProcessOnStop() {
        return false;
    }

    @Override
    public boolean startsOwnSession() {
        // The PID namespace already ends every process of the task with it.
        return false;
    }

    @Override
    public String rewrite(String text) {
        return text;
    }
}
