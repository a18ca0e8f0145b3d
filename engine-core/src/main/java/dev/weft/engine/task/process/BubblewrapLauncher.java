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

    /** setpriv's exit code when it cannot find the command (126: found but not executable, or a PATH entry unreadable). */
    private static final int SETPRIV_EXEC_FAILED = 127;

    private final TaskDirectory dir;
    private final HostTools tools;
    private final boolean userNamespace;
    private final BubblewrapLayout layout;

    private final java.util.Optional<TaskUser> dropTo;

    /**
     * @param taskUser who the task runs as when the engine is root (plain bubblewrap only: in a user namespace the
     *                 task's ids map back to the engine's own)
     */
    BubblewrapLauncher(TaskDirectory dir, HostTools tools, boolean userNamespace, Collection<String> ownedPaths,
                       TaskUser taskUser, Collection<java.nio.file.Path> hiddenPaths) throws IOException {
        this.dropTo = tools.root() && !userNamespace ? Optional.of(taskUser) : Optional.empty();
        this.dir = dir;
        this.tools = tools;
        this.userNamespace = userNamespace;
        this.layout = BubblewrapLayout.create(dir.root(), ownedPaths, hiddenPaths);
    }

    @Override
    public LaunchSpec plan(List<String> argv, Map<String, String> env, Optional<String> workingDir)
            throws IOException, SandboxSetupException {
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
        // No capabilities for the task: it must not remount its binds, mount, or signal what it cannot see.
        command.addAll(List.of("--cap-drop", "ALL"));
        if (dropTo.isPresent()) {
            // Only setpriv gets what it needs to switch to the task user; it then clears the bounding and
            // inheritable sets and the switch clears the rest (bwrap already set no_new_privs).
            command.addAll(List.of("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"));
        }
        command.addAll(List.of("--unshare-pid", "--die-with-parent", "--new-session",
                "--json-status-fd", "3", "--chdir", chdir, "--"));
        if (dropTo.isPresent()) {
            TaskUser user = dropTo.get();
            giveRootTo(user);
            command.addAll(List.of(tools.setpriv().orElseThrow(() -> new SandboxSetupException(
                            "setpriv (util-linux) is needed to run tasks unprivileged as root")).toString(),
                    "--reuid", Integer.toString(user.uid()), "--regid", Integer.toString(user.gid()),
                    "--clear-groups", "--bounding-set", "-all", "--inh-caps", "-all", "--"));
        }
        command.addAll(argv);
        return new LaunchSpec(command, withPrivateTmpDir(env), dir.dir());
    }

    /**
     * Hands the task's own root (the engine made it as root: directories, staged inputs, the script) to the task
     * user, so that an unprivileged task can write its declared paths and {@code /}, as in a container. Links are
     * changed themselves, never followed.
     */
    private void giveRootTo(TaskUser user) throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> tree = Files.walk(dir.root())) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) tree::iterator) {
                Files.setAttribute(p, "unix:uid", user.uid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.gid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** Who the task runs as and with which capabilities, for the sandbox's description. */
    static String privileges(HostTools tools, boolean userNamespace, TaskUser user) {
        if (tools.root() && !userNamespace) {
            return "tasks run as uid:gid " + user + " with no capabilities, no_new_privs, in their own PID namespace";
        }
        return "tasks run as the engine's own user"
                + (userNamespace ? " (mapped through a user namespace)" : "")
                + " with no capabilities, no_new_privs, in their own PID namespace";
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
        if (dropTo.isPresent() && (exitCode == SETPRIV_EXEC_FAILED || exitCode == SETPRIV_EXEC_FAILED - 1)) {
            // setpriv ran but could not exec the command: the sandbox's failure, as when bwrap itself cannot.
            String stderr = FailureMessages.fromStderr(dir.stderr(), "");
            if (stderr.contains("setpriv: failed to execute")) {
                return Optional.of(stderr);
            }
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
