package dev.weft.test;

import java.util.Map;
import java.util.Objects;

/**
 * One call of a stubbed template.
 *
 * @param nodeName   the node that called it, e.g. {@code prices.fetch(2)}
 * @param parameters its input parameters
 * @param attempt    the retry attempt, from 0
 */
public record StubCall(String nodeName, Map<String, String> parameters, int attempt) {

    /** Checks and copies. */
    public StubCall {
        Objects.requireNonNull(nodeName, "nodeName");
        parameters = Map.copyOf(parameters);
    }
}
