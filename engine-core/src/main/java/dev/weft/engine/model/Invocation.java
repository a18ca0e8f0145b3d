package dev.weft.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What DAG tasks and steps have in common: a named call of a template, possibly conditional or looped. */
public sealed interface Invocation permits DagTask, Step {

    /** The task's or step's name, unique in its DAG or steps template. */
    String name();

    /** The template it runs. */
    String template();

    /** The arguments passed to the template. */
    Arguments arguments();

    /** A govaluate condition; false gives a Skipped node. */
    Optional<String> when();

    /** Literal loop items (strings, numbers, maps). */
    List<Object> withItems();

    /** A JSON list (usually {@code {{...}}}) to loop over. */
    Optional<String> withParam();

    /** A number sequence to loop over. */
    Optional<Sequence> withSequence();

    /** Whether the parent may go on after this one fails. */
    ContinueOn continueOn();

    /** Hooks by event name; {@code exit} runs after the task (Argo's {@code onExit} lands here too). */
    Map<String, LifecycleHook> hooks();

    /** Whether the call is a loop. */
    default boolean isLoop() {
        return !withItems().isEmpty() || withParam().isPresent() || withSequence().isPresent();
    }

    /** The exit hook, if any. */
    default Optional<LifecycleHook> exitHook() {
        return Optional.ofNullable(hooks().get("exit"));
    }
}
