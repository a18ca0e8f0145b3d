package dev.weft.engine.task;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Java task handlers by name. Thread-safe. */
public final class TaskHandlerRegistry {

    private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();

    /** An empty registry. */
    public TaskHandlerRegistry() {
    }

    /** A registry holding {@code initial}. */
    public TaskHandlerRegistry(Map<String, TaskHandler> initial) {
        handlers.putAll(initial);
    }

    /**
     * Registers a handler.
     *
     * @throws IllegalStateException when the name is taken
     */
    public TaskHandlerRegistry register(String name, TaskHandler handler) {
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("a TaskHandler named '" + name + "' is already registered");
        }
        return this;
    }

    /** The handler with this name. */
    public Optional<TaskHandler> find(String name) {
        return Optional.ofNullable(handlers.get(name));
    }

    /** Whether a handler has this name. */
    public boolean contains(String name) {
        return handlers.containsKey(name);
    }

    /** Every registered name, sorted. */
    public Set<String> names() {
        return new TreeSet<>(handlers.keySet());
    }
}
