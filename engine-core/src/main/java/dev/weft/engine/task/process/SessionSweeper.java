package dev.weft.engine.task.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the processes of one session through {@code /proc}. Modes without a PID namespace start each command as
 * the leader of its own session ({@code setsid}), so whatever it leaves running in the background can still be
 * found and ended after it has exited and its children were re-parented.
 *
 * <p>A sweep runs after every such task, so it avoids reading every process's {@code stat}: a session's members
 * were all created after its leader, and Linux hands out pids cyclically, so they lie between the leader's pid and
 * the last pid handed out (wrapping at {@code pid_max}). Only those are read, as long as fewer than half of
 * {@code pid_max} processes and threads were created since the leader started (the kernel's fork counter in
 * {@code /proc/stat} tells); otherwise, or when any of those figures cannot be read, every process is read.
 */
final class SessionSweeper {

    private static final Path PROC = Path.of("/proc");
    private static final Path PROC_STAT = PROC.resolve("stat");
    private static final Path LAST_PID = PROC.resolve("sys/kernel/ns_last_pid");
    private static final Path PID_MAX = PROC.resolve("sys/kernel/pid_max");
    private static final byte[] PROCESSES = "\nprocesses ".getBytes(StandardCharsets.US_ASCII);

    /** No mark: sweeps read every process. */
    static final Mark UNKNOWN = new Mark(-1);

    private SessionSweeper() {
    }

    /**
     * The kernel's count of processes and threads created since boot, taken before a session leader is started.
     *
     * @param forks the count, or -1 when unknown
     */
    record Mark(long forks) {
    }

    /** Whether sessions can be listed here. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** Marks the moment before a session leader starts (one small read of {@code /proc/stat}). */
    static Mark mark() {
        return new Mark(forks());
    }

    /** The live processes whose session id is {@code sid}, reading every process. */
    static List<ProcessHandle> members(long sid) {
        return members(sid, UNKNOWN);
    }

    /**
     * The live processes whose session id is {@code sid}, where {@code sid} is the pid of a leader started after
     * {@code since}.
     */
    static List<ProcessHandle> members(long sid, Mark since) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                long pid = pidOf(entry.getFileName().toString());
                if (pid > 0) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            // /proc vanished: nothing to sweep.
            return List.of();
        }
        // Read after listing: every listed pid was handed out before this value (see the class comment).
        long last = readLong(LAST_PID);
        boolean ranged = last > 0 && rangeIsSound(since.forks(), forks(), readLong(PID_MAX));
        List<ProcessHandle> members = new ArrayList<>();
        for (long pid : pids) {
            if ((!ranged || inRange(pid, sid, last)) && sessionOf(pid) == sid) {
                ProcessHandle.of(pid).ifPresent(members::add);
            }
        }
        return members;
    }

    /**
     * Whether every process created after the mark has a pid in the cyclic range after the leader: true while
     * fewer than half of {@code pidMax} pids were handed out since, so the allocator cannot have come round to the
     * leader again (the kernel's counter counts all namespaces, so it can only over-estimate).
     */
    static boolean rangeIsSound(long forksAtMark, long forksNow, long pidMax) {
        return forksAtMark >= 0 && forksNow >= forksAtMark && pidMax > 0 && forksNow - forksAtMark < pidMax / 2;
    }

    /**
     * Whether {@code pid} lies in the cyclic range of pids from {@code leader} up to the last one handed out
     * (wrapped at {@code pid_max} when {@code last} is below the leader).
     */
    static boolean inRange(long pid, long leader, long last) {
        return last >= leader ? pid >= leader && pid <= last : pid >= leader || pid <= last;
    }

    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /** Field 6 of /proc/PID/stat; the command name before it may contain spaces and parentheses. */
    private static long sessionOf(long pid) {
        try {
            byte[] stat = read(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int i = stat.length - 1;
            while (i >= 0 && stat[i] != ')') {
                i--;
            }
            // After ") ": state, ppid, pgrp, session.
            i += 2;
            for (int field = 0; field < 3; field++) {
                while (i < stat.length && stat[i] != ' ') {
                    i++;
                }
                i++;
            }
            return parseLong(stat, i);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** The kernel's fork counter ({@code processes} in /proc/stat), or -1. */
    private static long forks() {
        try {
            byte[] stat = read(PROC_STAT);
            int at = indexOf(stat, PROCESSES);
            return at < 0 ? -1 : parseLong(stat, at + PROCESSES.length);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long readLong(Path file) {
        try {
            return parseLong(read(file), 0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The whole of a /proc file. Not {@link Files#readAllBytes}: it sizes its first read by the reported size (0)
     * and /proc/sys files answer a read that does not start at offset 0 with end of file.
     */
    private static byte[] read(Path file) throws IOException {
        // Plain reads: FileInputStream.readAllBytes would also stat and seek the file first.
        try (InputStream in = new FileInputStream(file.toFile())) {
            byte[] buf = new byte[2048];
            int n = 0;
            int r;
            while ((r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                }
            }
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }

    /** The decimal number at {@code from}, or -1 if there is none. */
    private static long parseLong(byte[] text, int from) {
        long value = 0;
        int i = from;
        while (i < text.length && text[i] >= '0' && text[i] <= '9') {
            value = value * 10 + (text[i] - '0');
            i++;
        }
        return i == from ? -1 : value;
    }

    private static int indexOf(byte[] text, byte[] word) {
        outer:
        for (int i = 0; i <= text.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (text[i + j] != word[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
