package dev.weft.engine.task.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the engine sandboxes local process tasks.
 *
 * @param workRoot       the host directory under which every task attempt gets its own directory. It should not
 *                       lie under {@code /tmp}: {@link IsolationMode#UNSHARE_TMP} replaces {@code /tmp} and could no
 *                       longer reach it (the probe then rules that mode out and says why)
 * @param commandAliases replacements for a command's first word, e.g. {@code python -> python3}
 * @param forcedMode     a mode to use instead of the best one the probe proves; fails if the probe does not prove it
 * @param hiddenPaths    host paths a task must never see, beyond the work root (always hidden): artifact store
 *                       directories, the engine's configuration, its run database. Bubblewrap modes replace each one
 *                       that lies inside a visible system directory with an empty directory of the task's own
 * @param taskUser       who tasks run as when the engine runs as root
 */
public record SandboxSettings(Path workRoot, Map<String, String> commandAliases, Optional<IsolationMode> forcedMode,
                              List<Path> hiddenPaths, TaskUser taskUser) {

    /** The aliases used unless configured otherwise: Argo images call {@code python}, Debian ships {@code python3}. */
    public static final Map<String, String> DEFAULT_ALIASES = Map.of("python", "python3");

    /** Checks and copies the fields. */
    public SandboxSettings {
        Objects.requireNonNull(workRoot, "workRoot");
        workRoot = workRoot.toAbsolutePath().normalize();
        commandAliases = Map.copyOf(commandAliases);
        Objects.requireNonNull(forcedMode, "forcedMode");
        hiddenPaths = hiddenPaths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Objects.requireNonNull(taskUser, "taskUser");
    }

    /** No hidden paths beyond the work root; tasks run as {@link TaskUser#NOBODY} when the engine is root. */
    public SandboxSettings(Path workRoot, Map<String, String> commandAliases, Optional<IsolationMode> forcedMode) {
        this(workRoot, commandAliases, forcedMode, List.of(), TaskUser.NOBODY);
    }

    /** The default work root, the default aliases, and the best mode the machine offers. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(defaultWorkRoot(), DEFAULT_ALIASES, Optional.empty());
    }

    /**
     * {@code /var/tmp/weft-<user>} where {@code /var/tmp} is writable (it is not replaced by any mode), else
     * {@code <java.io.tmpdir>/weft-<user>}.
     */
    public static Path defaultWorkRoot() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path varTmp = Path.of("/var/tmp");
        Path base = Files.isDirectory(varTmp) && Files.isWritable(varTmp)
                ? varTmp : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("weft-" + user);
    }

    /** A copy with another work root. */
    public SandboxSettings withWorkRoot(Path root) {
        return new SandboxSettings(root, commandAliases, forcedMode, hiddenPaths, taskUser);
    }

    /** A copy with other command aliases (replacing the defaults). */
    public SandboxSettings withCommandAliases(Map<String, String> aliases) {
        return new SandboxSettings(workRoot, aliases, forcedMode, hiddenPaths, taskUser);
    }

    /** A copy that insists on one mode. */
    public SandboxSettings withForcedMode(IsolationMode mode) {
        return new SandboxSettings(workRoot, commandAliases, Optional.of(mode), hiddenPaths, taskUser);
    }

    /** A copy that also hides these host paths from tasks (added to the ones already hidden). */
    public SandboxSettings withHiddenPaths(List<Path> paths) {
        List<Path> all = new java.util.ArrayList<>(hiddenPaths);
        all.addAll(paths);
        return new SandboxSettings(workRoot, commandAliases, forcedMode, all, taskUser);
    }

    /** A copy whose tasks run as another unprivileged user when the engine is root. */
    public SandboxSettings withTaskUser(TaskUser user) {
        return new SandboxSettings(workRoot, commandAliases, forcedMode, hiddenPaths, user);
    }
}
