package dev.weft.engine.task.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link IsolationMode#PATH_REWRITE}: no namespaces. {@code /tmp} and the declared paths are rewritten to the
 * task's directory wherever they occur literally in argv, env values and (through {@link #rewrite}) script
 * sources, and {@code TMPDIR} points at the task's own tmp. Paths a command builds itself still reach the host.
 */
final class PathRewriteLauncher implements ModeLauncher {

    /** Bounded: command names come from workflows. */
    private static final int MAX_REMEMBERED = 256;
    private static final Map<String, Path> LAST_FOUND = new ConcurrentHashMap<>();

    private final TaskDirectory dir;
    private final HostTools tools;
    private final List<String> owned;
    private final PathRewriter rewriter;

    PathRewriteLauncher(TaskDirectory dir, HostTools tools, Collection<String> ownedPaths) throws IOException {
        this.dir = dir;
        this.tools = tools;
        List<String> all = new ArrayList<>(ownedPaths);
        all.add(SandboxPaths.TMP);
        this.owned = List.copyOf(all);
        this.rewriter = new PathRewriter(owned, p -> dir.hostPath(p).toString(), dir.dir().toString());
        for (String path : ownedPaths) {
            Files.createDirectories(dir.hostPath(SandboxPaths.parent(path)));
        }
    }

    @Override
    public LaunchSpec plan(List<String> argv, Map<String, String> env, Optional<String> workingDir)
            throws IOException, SandboxSetupException {
        String wd = workingDir.map(w -> SandboxPaths.normalize(w, "workingDir")).orElse(SandboxPaths.TMP);
        Path directory;
        if (wd.equals(SandboxPaths.TMP)) {
            // The default: the task directory was made with it.
            directory = dir.hostPath(wd);
        } else if (owned.stream().anyMatch(o -> SandboxPaths.isUnder(wd, o))) {
            directory = Files.createDirectories(dir.hostPath(wd));
        } else {
            // Not the task's own: the host directory itself (ProcessBuilder fails if it does not exist).
            directory = Path.of(wd);
        }
        List<String> command = new ArrayList<>();
        for (String arg : argv) {
            command.add(rewriter.rewrite(arg));
        }
        if (tools.setsid().isPresent()) {
            // setsid's own "cannot execute" exit codes would look like the command's, so check first.
            if (!isRunnable(command.get(0))) {
                throw new SandboxSetupException("command not found: " + command.get(0));
            }
            command.add(0, tools.setsid().get().toString());
        }
        Map<String, String> rewrittenEnv = new LinkedHashMap<>();
        rewrittenEnv.put("TMPDIR", dir.hostPath(SandboxPaths.TMP).toString());
        env.forEach((k, v) -> rewrittenEnv.put(k, rewriter.rewrite(v)));
        return new LaunchSpec(command, rewrittenEnv, directory);
    }

    /** Whether {@code name} is an executable path, or found on the JVM's PATH as ProcessBuilder would. */
    private static boolean isRunnable(String name) {
        if (name.contains("/")) {
            return isExecutableFile(Path.of(name));
        }
        // Only whether it is found anywhere matters, not where: so the directory of the last hit goes first,
        // sparing the failed probes of the directories before it on PATH (one call instead of a dozen per task).
        Path known = LAST_FOUND.get(name);
        if (known != null && isExecutableFile(known)) {
            return true;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (isExecutableFile(candidate)) {
                if (LAST_FOUND.size() < MAX_REMEMBERED) {
                    LAST_FOUND.put(name, candidate);
                }
                return true;
            }
        }
        return false;
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isExecutable(file) && !Files.isDirectory(file);
    }

    @Override
    public Optional<String> sandboxFailure(int exitCode) {
        // Nothing sits between the JVM and the command: if it started, it ran.
        return Optional.empty();
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
