package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The weft command line as a user meets it: every example runs, bad input is explained, nothing is half-done. */
class CommandLineTest {

    @TempDir
    static Path dir;

    static Stream<String> fsExamples() throws IOException {
        try (Stream<Path> files = Files.list(ProjectFiles.root().resolve("examples/workflows"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.startsWith("s3-"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fsExamples")
    void everyExampleWorkflowSucceedsOnTheFsStore(String example) {
        CliRun run = CliRun.inProcess("run", ProjectFiles.exampleWorkflow(example).toString(),
                "--plugins-dir", dir.resolve("no-plugins").toString(),
                "--set", "root=" + dir.resolve("artifacts"));
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("Succeeded in");
    }

    @Test
    void theSummaryListsArtifactKeysAndJsonOutputParses() throws Exception {
        CliRun run = CliRun.inProcess("run", ProjectFiles.exampleWorkflow("artifacts.yaml").toString(),
                "--plugins-dir", dir.resolve("no-plugins").toString(), "--set", "root=" + dir.resolve("artifacts"),
                "--output", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.get("phase").asText()).isEqualTo("Succeeded");
        assertThat(json.get("artifacts")).hasSize(2);
        for (var artifact : json.get("artifacts")) {
            assertThat(dir.resolve("artifacts").resolve(artifact.get("key").asText())).isRegularFile();
            assertThat(artifact.get("sha256").asText()).hasSize(64);
        }
    }

    @Test
    void theLiveDisplayRedrawsOneLinePerTaskInPlace() {
        CliRun run = CliRun.inProcess("run", ProjectFiles.exampleWorkflow("diamond.yaml").toString(),
                "--plugins-dir", dir.resolve("no-plugins").toString(), "--set", "root=" + dir.resolve("artifacts"),
                "--progress", "live");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("\u001b[").contains("\u2714 Succeeded");
        // The last frame lists each of the four tasks once.
        String lastFrame = run.out().substring(run.out().lastIndexOf("\u001b[4A"));
        for (String task : java.util.List.of(".A ", ".B ", ".C ", ".D ")) {
            assertThat(lastFrame).containsOnlyOnce(task);
        }
    }

    @Test
    void aFailingWorkflowExitsWithOne() throws Exception {
        Path failing = Files.writeString(dir.resolve("failing.yaml"), """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: failing-}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    container: {image: alpine, command: [sh, -c, "echo broken >&2; exit 3"]}
                """);
        CliRun run = CliRun.inProcess("run", failing.toString(), "--plugins-dir", dir.resolve("none").toString(),
                "--set", "root=" + dir.resolve("artifacts"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Failed").contains("exit code 3");
    }

    @Test
    void validatePrintsEveryErrorOfAMalformedFileAndRunsNothing() throws Exception {
        Path marker = dir.resolve("ran.txt");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: bad}
                spec:
                  entrypoint: nope
                  templates:
                  - name: a
                    dag:
                      tasks:
                      - {name: A, template: b, depends: "E"}
                      - {name: B, template: missing}
                  - name: b
                    container: {image: x, command: [sh, -c, "touch %s"]}
                """.formatted(marker));
        CliRun validate = CliRun.inProcess("validate", bad.toString());
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("spec.entrypoint: unknown template 'nope'")
                .contains("spec.templates[a].dag.tasks[A].depends: unknown task 'E'")
                .contains("spec.templates[a].dag.tasks[B].template: unknown template 'missing'");
        CliRun run = CliRun.inProcess("run", bad.toString(), "--plugins-dir", dir.resolve("none").toString(),
                "--set", "root=" + dir.resolve("artifacts"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(marker).doesNotExist();
    }

    @Test
    void aYamlSyntaxErrorIsOneLineWithItsPosition() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "spec:\n  entrypoint: [unclosed\n");
        CliRun run = CliRun.inProcess("validate", broken.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("broken.yaml").containsPattern("line \\d+");
    }

    @Test
    void graphPrintsTheDagAsMermaidAndDot() {
        CliRun mermaid = CliRun.inProcess("graph", ProjectFiles.exampleWorkflow("diamond.yaml").toString());
        assertThat(mermaid.exitCode()).isZero();
        assertThat(mermaid.out()).startsWith("flowchart TD").contains("diamond__A --> diamond__B")
                .contains("diamond__C --> diamond__D");
        CliRun dot = CliRun.inProcess("graph", "--format", "dot", ProjectFiles.exampleWorkflow("diamond.yaml").toString());
        assertThat(dot.out()).startsWith("digraph workflow {").contains("\"diamond__B\" -> \"diamond__D\";");
    }

    @Test
    void pluginsListsBothStoragePluginsAndABrokenJarWithItsReason() throws Exception {
        Path plugins = PluginJars.folderWith(dir.resolve("listing"), PluginJars.s3(), PluginJars.minio());
        Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});
        CliRun run = CliRun.inProcess("plugins", "--plugins-dir", plugins.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Store types: fs, minio, s3").contains("weft-storage-s3")
                .contains("weft-storage-minio").contains("FAILED broken.jar: not a readable JAR");
    }

    @Test
    void versionAndHelpWorkOnEveryCommand() {
        assertThat(CliRun.inProcess("--version").out()).startsWith("weft ");
        for (String command : List.of("run", "validate", "graph", "plugins", "credentials")) {
            CliRun help = CliRun.inProcess(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: weft " + command);
        }
    }
}
