package dev.weft.engine.history;

/** Which stream a node log line came from; each line of the file starts with the tag and a space. */
public enum LogStream {
    /** A process task's standard output. */
    STDOUT('o'),
    /** A process task's standard error. */
    STDERR('e'),
    /** A Java handler's log line ({@code TaskContext.log()}). */
    HANDLER('h'),
    /** Written by Weft itself: the truncation marker. */
    WEFT('!');

    private final char tag;

    LogStream(char tag) {
        this.tag = tag;
    }

    /** The tag in the file. */
    public char tag() {
        return tag;
    }

    static LogStream ofTag(char tag) {
        for (LogStream s : values()) {
            if (s.tag == tag) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown log stream tag '" + tag + "'");
    }
}
