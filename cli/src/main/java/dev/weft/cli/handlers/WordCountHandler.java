package dev.weft.cli.handlers;

import dev.weft.engine.task.TaskContext;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskOutput;
import java.util.Map;

/**
 * An example Java task: counts the words of its {@code text} input parameter and returns the count as the output
 * parameter {@code words} and as its result. Used by {@code examples/workflows/java-handler.yaml}.
 */
public final class WordCountHandler implements TaskHandler {

    /** The name workflows use: {@code plugin: {weft: {handler: word-count}}}. */
    public static final String NAME = "word-count";

    @Override
    public TaskOutput run(TaskContext context) {
        String text = context.parameters().getOrDefault("text", "");
        String count = Integer.toString(text.isBlank() ? 0 : text.trim().split("\\s+").length);
        return new TaskOutput(Map.of("words", count), java.util.Optional.of(count));
    }
}
