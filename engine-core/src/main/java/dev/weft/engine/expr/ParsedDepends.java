package dev.weft.engine.expr;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/** A {@link DependsExpression} backed by a parsed tree; immutable. */
final class ParsedDepends implements DependsExpression {

    private final String source;
    private final DependsNode root;
    private final Set<String> tasks;

    ParsedDepends(String source, DependsNode root) {
        this.source = source;
        this.root = root;
        Set<String> names = new LinkedHashSet<>();
        root.collectTasks(names);
        this.tasks = Collections.unmodifiableSet(names);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> tasks() {
        return tasks;
    }

    @Override
    public boolean evaluate(Function<String, TaskOutcome> outcomeOf) {
        return root.evaluate(outcomeOf);
    }

    @Override
    public String toString() {
        return "depends(" + source + ")";
    }
}
