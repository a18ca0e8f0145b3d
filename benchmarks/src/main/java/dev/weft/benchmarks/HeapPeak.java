package dev.weft.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The peak heap use of a stretch of work, from the JVM's memory pools: garbage is collected first, the pools' peaks
 * are reset, and afterwards the heap pools' peaks are summed. The sum can exceed the true simultaneous peak a little
 * (pools peak at different moments), never fall below it.
 */
public final class HeapPeak {

    private HeapPeak() {
    }

    /** Collects garbage and resets every heap pool's peak. */
    public static void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The heap pools' summed peak since {@link #reset()}, in MiB. */
    public static double peakMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }
}
