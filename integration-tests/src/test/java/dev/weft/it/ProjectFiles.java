package dev.weft.it;

import java.nio.file.Path;

/** Files of this repository that tests use: the example workflows and the Argo conformance corpus. */
public final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The repository root (Maven passes it; otherwise the parent of this module). */
    public static Path root() {
        String root = System.getProperty("weft.project.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /** {@code examples/workflows/<name>}. */
    public static Path exampleWorkflow(String name) {
        return root().resolve("examples/workflows").resolve(name);
    }

    /** The Argo examples copied into engine-core's test resources. */
    public static Path argoExample(String name) {
        return root().resolve("engine-core/src/test/resources/conformance/argo").resolve(name);
    }
}
