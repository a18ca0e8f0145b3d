package dev.weft.engine.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Size limits that keep a hostile or mistaken workflow from hanging the engine or exhausting its heap. Each one is
 * checked before the work it bounds (a document before it is parsed, a loop before its items exist, a node before it
 * is created) and a breach is reported with the limit's key ({@code limits.loopItems} and so on), so a user who
 * really needs more knows what to raise.
 *
 * <p>The defaults are far above what real Argo workflows use (Kubernetes keeps a whole Workflow object under about
 * 1.5 MB, and Argo's controller stops template recursion at a depth of 100) and low enough that a run hitting one
 * still fits in a modest heap.
 *
 * @param documentSize   bytes of a workflow file (characters of a document given as text)
 * @param scalarSize     characters of any one scalar
 * @param lineLength     characters of any one line of a YAML document: the YAML scanner's cost grows with the
 *                       square of a line's length (a 1 MiB line takes about two seconds), so long lines are refused
 *                       before parsing; a longer value fits in a block scalar ({@code |} or {@code >})
 * @param keySize        characters of any mapping key
 * @param nestingDepth   how deeply lists and maps may nest in a document
 * @param aliases        how many YAML aliases ({@code *name}) a document may use
 * @param documentNodes  how many values (scalars, lists, maps) a document may hold once its aliases are expanded
 * @param loopItems      items one {@code withItems}/{@code withParam}/{@code withSequence} may expand to
 * @param nodesPerRun    nodes one run may create
 * @param templateDepth  how deeply template calls may nest (recursion included); Argo's controller stops at 100
 * @param nodeLogBytes   bytes kept of one node attempt's log (stdout, stderr and handler lines together); what
 *                       passes it is dropped, and the log says so
 */
public record Limits(long documentSize, int scalarSize, int lineLength, int keySize, int nestingDepth, int aliases,
                     int documentNodes, int loopItems, int nodesPerRun, int templateDepth,
                     long nodeLogBytes) {

    /** The prefix of every limit's configuration key. */
    public static final String PREFIX = "limits.";

    /** The limits that may pass {@link Integer#MAX_VALUE}. */
    private static final java.util.Set<String> LONG_VALUED = java.util.Set.of("documentSize", "nodeLogBytes");

    /** Checks that every limit is positive. */
    public Limits {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("documentSize", documentSize);
        values.put("scalarSize", (long) scalarSize);
        values.put("lineLength", (long) lineLength);
        values.put("keySize", (long) keySize);
        values.put("nestingDepth", (long) nestingDepth);
        values.put("aliases", (long) aliases);
        values.put("documentNodes", (long) documentNodes);
        values.put("loopItems", (long) loopItems);
        values.put("nodesPerRun", (long) nodesPerRun);
        values.put("templateDepth", (long) templateDepth);
        values.put("nodeLogBytes", nodeLogBytes);
        values.forEach((k, v) -> {
            if (v <= 0) {
                throw new IllegalArgumentException(PREFIX + k + " must be positive, got " + v);
            }
        });
    }

    /**
     * The defaults: 4 MiB documents, 1 MiB scalars, 256 KiB lines, 1 KiB keys, nesting 200 deep, 100 aliases, 500,000
     * document values, 10,000 items per loop, 100,000 nodes per run, template calls nested 100 deep, 10 MiB of log
     * per node attempt.
     */
    public static Limits defaults() {
        return new Limits(4L * 1024 * 1024, 1024 * 1024, 256 * 1024, 1024, 200, 100, 500_000, 10_000, 100_000, 100,
                10L * 1024 * 1024);
    }

    /**
     * These limits with some replaced by configuration values, e.g. {@code limits.loopItems=50000}. Keys without the
     * {@code limits.} prefix are ignored (they belong to other settings); an unknown {@code limits.} key or a value
     * that is not a positive whole number is an error naming the key.
     */
    public Limits with(Map<String, String> settings) {
        Map<String, Long> v = asMap();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                continue;
            }
            String name = e.getKey().substring(PREFIX.length());
            if (!v.containsKey(name)) {
                throw new IllegalArgumentException("unknown limit '" + e.getKey() + "' (known: "
                        + String.join(", ", v.keySet().stream().map(k -> PREFIX + k).toList()) + ")");
            }
            long parsed;
            try {
                parsed = Long.parseLong(e.getValue().trim().replace("_", ""));
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(e.getKey() + " must be a whole number, got '" + e.getValue() + "'");
            }
            if (parsed <= 0 || (!LONG_VALUED.contains(name) && parsed > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(e.getKey() + " must be between 1 and "
                        + (LONG_VALUED.contains(name) ? Long.MAX_VALUE : Integer.MAX_VALUE) + ", got " + parsed);
            }
            v.put(name, parsed);
        }
        ToLongFunction<String> get = v::get;
        return new Limits(get.applyAsLong("documentSize"), (int) get.applyAsLong("scalarSize"),
                (int) get.applyAsLong("lineLength"),
                (int) get.applyAsLong("keySize"), (int) get.applyAsLong("nestingDepth"),
                (int) get.applyAsLong("aliases"), (int) get.applyAsLong("documentNodes"),
                (int) get.applyAsLong("loopItems"), (int) get.applyAsLong("nodesPerRun"),
                (int) get.applyAsLong("templateDepth"), get.applyAsLong("nodeLogBytes"));
    }

    /** Every limit by its key without the prefix, in declaration order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("documentSize", documentSize);
        m.put("scalarSize", (long) scalarSize);
        m.put("lineLength", (long) lineLength);
        m.put("keySize", (long) keySize);
        m.put("nestingDepth", (long) nestingDepth);
        m.put("aliases", (long) aliases);
        m.put("documentNodes", (long) documentNodes);
        m.put("loopItems", (long) loopItems);
        m.put("nodesPerRun", (long) nodesPerRun);
        m.put("templateDepth", (long) templateDepth);
        m.put("nodeLogBytes", nodeLogBytes);
        return m;
    }
}
