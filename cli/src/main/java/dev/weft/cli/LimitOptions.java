package dev.weft.cli;

import dev.weft.engine.EngineConfig;
import dev.weft.engine.spec.Limits;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --limit NAME=VALUE}: raises or lowers one of the engine's {@link Limits} (documented in configuration.md). */
final class LimitOptions {

    @Option(names = "--limit", paramLabel = "NAME=VALUE",
            description = "One size limit, e.g. --limit loopItems=50000 (or limits.loopItems=50000). Names: "
                    + "documentSize, scalarSize, lineLength, keySize, nestingDepth, aliases, documentNodes, loopItems, "
                    + "nodesPerRun, templateDepth, nodeLogBytes. Repeatable.")
    Map<String, String> values = new LinkedHashMap<>();

    /** The default limits with the given ones replaced; a bad name or value is a usage error. */
    Limits limits() {
        Map<String, String> keyed = new LinkedHashMap<>();
        values.forEach((k, v) -> keyed.put(k.startsWith(Limits.PREFIX) ? k : Limits.PREFIX + k, v));
        try {
            return Limits.defaults().with(keyed);
        } catch (IllegalArgumentException e) {
            throw new CliException("--limit: " + e.getMessage());
        }
    }

    /** The default engine settings with these limits. */
    EngineConfig engineConfig() {
        return EngineConfig.defaults().withLimits(limits());
    }
}
