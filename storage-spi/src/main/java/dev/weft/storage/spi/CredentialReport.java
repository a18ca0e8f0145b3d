package dev.weft.storage.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a store's credential chain resolved: every step in order, with the one chosen (if any). Holds no secret, so it
 * is safe to log, print and put in error messages.
 *
 * @param steps the chain's steps in the order they were considered
 */
public record CredentialReport(List<CredentialStep> steps) {

    /** Copies the steps. */
    public CredentialReport {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    }

    /** The report of a store that uses no credentials. */
    public static CredentialReport none() {
        return new CredentialReport(List.of());
    }

    /** The step whose credentials are in use, if any. */
    public Optional<CredentialStep> chosen() {
        return steps.stream().filter(s -> s.outcome() == CredentialStep.Outcome.CHOSEN).findFirst();
    }

    /** The chosen step's source name, or "none". */
    public String chosenSource() {
        return chosen().map(CredentialStep::source).orElse("none");
    }

    /** One line per step, for error messages and the command line. */
    public String explain() {
        if (steps.isEmpty()) {
            return "no credentials needed";
        }
        return steps.stream().map(s -> "  - " + s).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return steps.stream().map(CredentialStep::toString).collect(Collectors.joining("; ", "[", "]"));
    }
}
