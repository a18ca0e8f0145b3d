package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IsolationMode#UNSHARE_TMP}: a private mount namespace in which the task's own directory is bound over
 * {@code /tmp}; declared paths outside {@code /tmp} are rewritten to the task's directory in argv and env. As
 * root {@code unshare --mount}; unprivileged {@code unshare --map-root-user --mount}, where the task runs as root of
 * its own user namespace (its files belong to the real user on the host).
 *
 * <p>The wrapper script opens a marker file before the mount (the work root must not lie under {@code /tmp}, which
 * the mount hides) and writes it only once the mount, the working directory and the command lookup succeeded, so
 * a missing marker means the sandbox failed and the command never ran. {@code unshare} and {@code sh} exec, so the
 * started process is the command itself.
 */
final class UnshareTmpLauncher implements ModeLauncher {

    /** $1 the task's tmp, $2 the marker, $3 the working directory, $4 mount, then the command. */
    private static final String WRAPPER = String.join("\n",
            "exec 4>\"$2\" || exit 1",
            "\"$4\" --bind \"$1\" /tmp || exit 1",
            "cd \"$3\" || exit 1",
            "command -v \"$5\" >/dev/null 2>&1 || { echo \"weft: command not found: $5\" >&2; exit 127; }",
            "echo ran >&4",
            "exec 4>&-",
            "shift 4",
            "exec \"$@\"");

    private final TaskDirectory dir;
    private final HostTools tools;
    private final List<String> rewritten;
    private final PathRewriter rewriter;

    UnshareTmpLauncher(TaskDirectory dir, HostTools tools, Collection<String> ownedPaths) throws IOException {
        this.dir = dir;
        this.tools = tools;
        this.rewritten = ownedPaths.stream().filter(p -> !SandboxPaths.isUnder(p, SandboxPaths.TMP)).toList();
        this.rewriter = PathRewriter.forTask(dir, rewritten);
        dir.createParentsOf(ownedPaths);
    }

    @Override
    public LaunchSpec plan(List<String> argv, Map<String, String> env, Optional<String> workingDir)
            throws IOException {
        String wd = workingDir.map(w -> SandboxPaths.normalize(w, "workingDir")).orElse(SandboxPaths.TMP);
        String wdInNamespace = wd;
        if (SandboxPaths.isUnder(wd, SandboxPaths.TMP)) {
            Files.createDirectories(dir.hostPath(wd));
        } else if (isRewritten(wd)) {
            Path host = dir.hostPath(wd);
            Files.createDirectories(host);
            wdInNamespace = host.toString();
        }
        List<String> command = new ArrayList<>();
        tools.setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(tools.unshare().orElseThrow().toString());
        if (!tools.root()) {
            // Unprivileged: a user namespace in which the task is root may mount (unshare -rm).
            command.add("--map-root-user");
        }
        command.addAll(List.of("--mount", "--propagation", "private", "--",
                tools.shell().orElseThrow().toString(), "-c", WRAPPER, "weft-sandbox",
                dir.hostPath(SandboxPaths.TMP).toString(), dir.status().toString(), wdInNamespace,
                tools.mount().orElseThrow().toString()));
        command.addAll(rewriter.rewriteAll(argv));
        return new LaunchSpec(command, BubblewrapLauncher.withPrivateTmpDir(rewriter.rewriteValues(env)), dir.dir());
    }

    private boolean isRewritten(String path) {
        return rewritten.stream().anyMatch(owned -> SandboxPaths.isUnder(path, owned));
    }

    @Override
    public Optional<String> sandboxFailure(int exitCode) {
        try {
            if (exitCode >= SIGNAL_EXIT || Files.exists(dir.status()) && Files.size(dir.status()) > 0) {
                return Optional.empty();
            }
        } catch (IOException e) {
            // Treated as a failure below.
        }
        return Optional.of(FailureMessages.fromStderr(dir.stderr(),
                "the unshare sandbox exited with code " + exitCode + " before the command ran"));
    }

    @Override
    public boolean signalStartedProcessOnStop() {
        return true;
    }

    @Override
    public boolean diesWithStartingThread() {
        return false;
    }

    @Override
    public boolean startsOwnSession() {
        return tools.setsid().isPresent();
    }

    @Override
    public String rewrite(String text) {
        return rewriter.rewrite(text);
    }
}
