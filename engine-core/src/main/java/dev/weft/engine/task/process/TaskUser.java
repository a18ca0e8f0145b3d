package dev.weft.engine.task.process;

/**
 * The host user and group a task runs as when the engine itself runs as root (bubblewrap and the other modes switch
 * to it before the command starts). An engine that is not root runs its tasks as itself: it cannot switch users.
 *
 * @param uid a host user id other than 0
 * @param gid a host group id other than 0
 */
public record TaskUser(int uid, int gid) {

    /** {@code nobody:nogroup} on Debian, the usual unprivileged identity. */
    public static final TaskUser NOBODY = new TaskUser(65534, 65534);

    /** Checks the ids: running a task as root is exactly what this setting prevents. */
    public TaskUser {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("task user must be an unprivileged uid:gid (both > 0), was "
                    + uid + ":" + gid);
        }
    }

    /**
     * Parses {@code uid:gid}, e.g. {@code 65534:65534}.
     *
     * @throws IllegalArgumentException naming the value when it is not two positive integers
     */
    public static TaskUser parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("task user '" + text + "' is not uid:gid (e.g. 65534:65534)");
        }
        try {
            return new TaskUser(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task user '" + text + "' is not uid:gid (e.g. 65534:65534)");
        }
    }

    @Override
    public String toString() {
        return uid + ":" + gid;
    }
}
