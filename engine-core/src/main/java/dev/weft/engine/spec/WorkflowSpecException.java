package dev.weft.engine.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow document that cannot be read or fails validation; carries every problem found, not just the first. */
public class WorkflowSpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<SpecError> errors;

    /** @param errors at least one problem */
    public WorkflowSpecException(List<SpecError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem, in document order. */
    public List<SpecError> errors() {
        return errors;
    }

    private static String format(List<SpecError> errors) {
        if (errors.size() == 1) {
            return errors.get(0).toString();
        }
        return errors.size() + " problems:\n" + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
