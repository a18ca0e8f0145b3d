package dev.weft.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives test methods a fresh {@link WorkflowTester}, closed (its directory deleted) when the test ends. */
public final class WeftExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WeftExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WorkflowTester.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // stored in the test's own store: JUnit closes what is AutoCloseable there (deleting the directory) after
        // the test
        return context.getStore(NAMESPACE).computeIfAbsent("tester", k -> newTester(), WorkflowTester.class);
    }

    private static WorkflowTester newTester() {
        try {
            return WorkflowTester.create(Files.createTempDirectory("weft-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the workflow tester", e);
        }
    }
}
