package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One task attempt's host directory: {@code root/} (the task's view of {@code /}), the captured {@code stdout} and
 * {@code stderr}, and the sandbox's own status file.
 */
final class TaskDirectory {

    private static final int MAX_NAME = 40;
    private static final Set<PosixFilePermission> TMP_PERMISSIONS = PosixFilePermissions.fromString("rwxrwxrwx");

    private final Path dir;

    private TaskDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates a fresh, uniquely named directory for {@code taskName} under {@code workRoot}. */
    static TaskDirectory create(Path workRoot, String taskName) throws IOException {
        String safe = taskName.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > MAX_NAME) {
            safe = safe.substring(0, MAX_NAME);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(workRoot, safe + "-");
        } catch (NoSuchFileException noRoot) {
            // Only the first task (or one after the work root was removed) pays for creating it.
            Files.createDirectories(workRoot);
            dir = Files.createTempDirectory(workRoot, safe + "-");
        }
        TaskDirectory created = new TaskDirectory(dir);
        // One mkdir each: createDirectories would first probe for existing parents.
        Files.createDirectory(created.root());
        Path tmp = Files.createDirectory(created.root().resolve("tmp"));
        try {
            // Like a real /tmp: a task that switches user (or runs in a user namespace) can still write it.
            Files.setPosixFilePermissions(tmp, TMP_PERMISSIONS);
        } catch (UnsupportedOperationException notPosix) {
            // Windows: nothing to widen.
        }
        return created;
    }

    Path dir() {
        return dir;
    }

    Path root() {
        return dir.resolve("root");
    }

    Path stdout() {
        return dir.resolve("stdout");
    }

    Path stderr() {
        return dir.resolve("stderr");
    }

    /** Written by the sandbox wrapper; tells whether the command itself ran. */
    Path status() {
        return dir.resolve("status");
    }

    /** The host file behind a normalized task path. */
    /** Creates, in this directory, the parent directories of the task's declared paths. */
    void createParentsOf(Collection<String> ownedPaths) throws IOException {
        for (String path : ownedPaths) {
            Files.createDirectories(hostPath(SandboxPaths.parent(path)));
        }
    }

    Path hostPath(String sandboxPath) {
        return sandboxPath.equals("/") ? root() : root().resolve(SandboxPaths.relative(sandboxPath));
    }

    /**
     * Deletes the directory. Symbolic links are removed, never followed, so nothing outside the directory is
     * touched; directories a task made unreadable are opened up first.
     */
    void delete() throws IOException {
        deleteTree(dir);
    }

    /**
     * Takes the directory away at once and deletes it in the background ({@link DirectoryCleaner}): deleting a task
     * directory costs a dozen file system calls, on a journaling disk milliseconds, and nothing waits for it. The
     * rename is one call; if it fails the directory is deleted here and now.
     */
    void deleteInBackground(DirectoryCleaner cleaner) throws IOException {
        Path doomed = dir.resolveSibling(dir.getFileName() + DirectoryCleaner.DOOMED_SUFFIX);
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException | UnsupportedOperationException e) {
            delete();
            return;
        }
        cleaner.delete(doomed);
    }

    /** Deletes a tree the way {@link #delete} does. */
    static void deleteTree(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        }
        if (attrs.isDirectory()) {
            openUp(path);
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteTree(child);
                }
            } catch (NoSuchFileException gone) {
                return;
            }
        }
        Files.deleteIfExists(path);
    }

    private static void openUp(Path d) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
            if (perms.add(PosixFilePermission.OWNER_READ) | perms.add(PosixFilePermission.OWNER_WRITE)
                    | perms.add(PosixFilePermission.OWNER_EXECUTE)) {
                Files.setPosixFilePermissions(d, perms);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
            // Deleting will report the real problem if there is one.
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
