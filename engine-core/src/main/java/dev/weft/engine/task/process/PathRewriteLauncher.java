package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IsolationMode#PATH_REWRITE}: no namespaces. {@code /tmp} and the declared paths are rewritten to the
 * task's directory wherever they occur literally in argv, env values and (through {@link #rewrite}) script
 * sources, and {@code TMPDIR} points at the task's own tmp. Paths a command builds itself still reach the host.
 */
final class PathRewriteLauncher implements ModeLauncher {

    private final TaskDirectory dir;
    private final HostTools tools;
    private final List<String> owned;
    private final PathRewriter rewriter;
    private final CommandLookup commands;

    PathRewriteLauncher(TaskDirectory dir, HostTools tools, Collection<String> ownedPaths, CommandLookup commands)
            throws IOException {
        this.dir = dir;
        this.commands = commands;
        this.tools = tools;
        List<String> all = new ArrayList<>(ownedPaths);
        all.add(SandboxPaths.TMP);
        this.owned = List.copyOf(all);
        this.rewriter = PathRewriter.forTask(dir, owned);
        dir.createParentsOf(ownedPaths);
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
        List<String> command = rewriter.rewriteAll(argv);
        if (tools.setsid().isPresent()) {
            // setsid's own "cannot execute" exit codes would look like the command's, so check first.
            if (!commands.isRunnable(command.get(0))) {
                throw new SandboxSetupException("command not found: " + command.get(0));
            }
            command.add(0, tools.setsid().get().toString());
        }
        Map<String, String> rewrittenEnv = new LinkedHashMap<>();
        rewrittenEnv.put("TMPDIR", dir.hostPath(SandboxPaths.TMP).toString());
        rewrittenEnv.putAll(rewriter.rewriteValues(env));
        return new LaunchSpec(command, rewrittenEnv, directory);
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
