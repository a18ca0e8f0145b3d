package dev.weft.engine.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Converts between octal permission bits and {@link PosixFilePermission} sets. */
final class PosixModes {

    /** Order matches bit 8 (owner read) down to bit 0 (others execute). */
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
    };

    private PosixModes() {
    }

    static int toBits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                mode |= 1 << (8 - i);
            }
        }
        return mode;
    }

    /** The permission set for the low nine bits; setuid, setgid and sticky are dropped on purpose. */
    static Set<PosixFilePermission> fromBits(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }

    /** Sets the low nine bits of {@code path}'s mode, if the file system has POSIX permissions. */
    static void apply(Path path, int mode) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
            view.setPermissions(fromBits(mode));
        }
    }

    /** The low nine bits of {@code path}'s mode (not following links), or 0644/0755 without POSIX support. */
    static int read(Path path) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 0755 : 0644;
        }
        return toBits(view.readAttributes().permissions());
    }
}
