package dev.weft.engine.spec;

/**
 * The loop-size rule shared by validation (literal loops) and expansion at run time (loops whose items come from
 * {@code {{...}}}): sizes are computed from the loop's bounds, never by building the items first.
 */
public final class LoopLimit {

    private LoopLimit() {
    }

    /** How many numbers {@code withSequence} from {@code start} to {@code end} (inclusive, either direction) gives. */
    public static long sequenceSize(long start, long end) {
        try {
            return Math.addExact(Math.abs(Math.subtractExact(end, start)), 1L);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code "<what> exceeds the limit of N items per loop (limits.loopItems)"}. */
    public static String message(String what, Limits limits) {
        return what + " exceeds the limit of " + limits.loopItems() + " items per loop (" + Limits.PREFIX
                + "loopItems)";
    }
}
