package dev.weft.engine.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunResult;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.task.process.IsolationMode;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: as root with bubblewrap, a task is unprivileged (no capabilities, uid 65534, no_new_privs, own PID
 * namespace), and outputs never follow a link out of the task. Real bwrap, real processes; skipped (with the reason)
 * only where bwrap is missing or the tests do not run as root.
 */
class TaskSandboxSecurityTest {

    private static Engine engine;
    private static ProcessSandbox sandbox;
    /** Stands for a filesystem artifact store root, hidden through the settings. */
    private static final Path STORE_ROOT = Path.of(System.getProperty("user.dir"), "target", "security-store");

    @BeforeAll
    static void start() throws Exception {
        Path work = Path.of(System.getProperty("user.dir"), "target", "security-work");
        Files.createDirectories(STORE_ROOT);
        Files.writeString(STORE_ROOT.resolve("stored.txt"), "STORED-CONTENT");
        sandbox = new SandboxFactory(new SandboxSettings(work, SandboxSettings.DEFAULT_ALIASES,
                java.util.Optional.empty()).withHiddenPaths(List.of(STORE_ROOT))).create();
        engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(work))
                .expressions(new DefaultExpressions()).processSandbox(sandbox).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static void assumeRootBubblewrap() {
        assumeTrue(sandbox.mode() == IsolationMode.BUBBLEWRAP,
                "needs bubblewrap as root; this machine offers: " + sandbox.describe());
    }

    private static RunResult run(String yaml) throws Exception {
        return engine.submit(new WorkflowReader().read(yaml, "s.yaml"), Map.of(), "s.yaml", List.of())
                .await(Duration.ofSeconds(120));
    }

    private static String oneStep(String script, String outputs) {
        return """
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    container:
                      image: busybox
                      command: [sh, -c]
                      args: ['%s']
                %s
                """.formatted(script.replace("'", "''"), outputs);
    }

    private static NodeStatus pod(RunResult r) {
        return r.nodes().stream().filter(n -> n.type() == NodeType.POD).findFirst().orElseThrow();
    }

    @Test
    void taskHasNoCapabilitiesRunsAsNobodyWithNoNewPrivs() throws Exception {
        assumeRootBubblewrap();
        RunResult r = run(oneStep("grep -E \"^(Uid|Gid|CapEff|CapBnd|CapPrm|NoNewPrivs):\" /proc/self/status", ""));
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        String status = pod(r).outputs().result().orElseThrow();
        assertThat(status).containsPattern("Uid:\\s+65534\\s+65534\\s+65534\\s+65534")
                .containsPattern("Gid:\\s+65534")
                .containsPattern("CapEff:\\s+0000000000000000")
                .containsPattern("CapPrm:\\s+0000000000000000")
                .containsPattern("CapBnd:\\s+0000000000000000")
                .containsPattern("NoNewPrivs:\\s+1");
        assertThat(sandbox.describe()).contains("uid:gid 65534:65534").contains("no capabilities");
    }

    @Test
    void remountOfAReadOnlyBindFailsAndTheHostIsUntouched() throws Exception {
        assumeRootBubblewrap();
        String name = "weft-remount-" + UUID.randomUUID();
        RunResult r = run(oneStep("mount -o remount,rw,bind /etc && echo x > /etc/" + name, ""));
        assertThat(pod(r).phase()).isEqualTo(NodePhase.FAILED);
        assertThat(Path.of("/etc", name)).doesNotExist();
    }

    @Test
    void writeToAHostPathFails() throws Exception {
        assumeRootBubblewrap();
        String name = "weft-write-" + UUID.randomUUID();
        RunResult r = run(oneStep("echo x > /usr/" + name, ""));
        assertThat(pod(r).phase()).isEqualTo(NodePhase.FAILED);
        assertThat(Path.of("/usr", name)).doesNotExist();
    }

    @Test
    void killOfAHostProcessFailsAndItSurvives() throws Exception {
        assumeRootBubblewrap();
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        try {
            RunResult r = run(oneStep("kill -9 " + sleeper.pid(), ""));
            assertThat(pod(r).phase()).isEqualTo(NodePhase.FAILED);
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void anotherRunningTasksTmpCannotBeRead() throws Exception {
        assumeRootBubblewrap();
        String secret = "secret-" + UUID.randomUUID();
        Path work = Path.of(System.getProperty("user.dir"), "target", "security-work");
        RunResult r = run("""
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: holder, template: holder}
                      - {name: reader, template: reader}
                  - name: holder
                    container:
                      image: busybox
                      command: [sh, -c]
                      args: ["echo %s > /tmp/secret && sleep 3"]
                  - name: reader
                    container:
                      image: busybox
                      command: [sh, -c]
                      args: ["sleep 1; cat %s/*/root/tmp/secret"]
                """.formatted(secret, work));
        NodeStatus reader = r.nodes().stream().filter(n -> n.displayName().equals("reader")).findFirst()
                .orElseThrow();
        assertThat(reader.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(reader.outputs().result().orElse("")).doesNotContain(secret);
    }

    @Test
    void artifactStoreRootAndWorkRootAreNotVisible() throws Exception {
        assumeRootBubblewrap();
        Path work = Path.of(System.getProperty("user.dir"), "target", "security-work");
        RunResult r = run(oneStep("ls -A " + work + " " + STORE_ROOT + "; cat " + STORE_ROOT + "/stored.txt", ""));
        NodeStatus p = pod(r);
        assertThat(p.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(p.outputs().result().orElse("")).doesNotContain("STORED-CONTENT").doesNotContain("root")
                .doesNotContain("stored.txt");
    }

    private static Path hostSecret() throws Exception {
        Path file = Files.createTempFile("host-secret-", ".txt");
        Files.writeString(file, "HOST-SECRET-" + UUID.randomUUID());
        return file;
    }

    private static void assertNoLeak(RunResult r, String content, String outputName) {
        NodeStatus p = pod(r);
        assertThat(p.phase()).isEqualTo(NodePhase.ERROR);
        assertThat(p.message()).contains(outputName).contains("symbolic link").doesNotContain(content);
        assertThat(r.toString()).doesNotContain(content);
        assertThat(p.outputs().parameters().values()).noneMatch(v -> v.contains(content));
    }

    @Test
    void outputParameterThroughALinkToAHostFileIsAnErrorWithoutItsContent() throws Exception {
        Path secret = hostSecret();
        try {
            String content = Files.readString(secret);
            RunResult r = run(oneStep("ln -s " + secret + " /tmp/p",
                    "    outputs: {parameters: [{name: leak, valueFrom: {path: /tmp/p}}]}"));
            assertNoLeak(r, content, "output parameter 'leak'");
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void outputArtifactThroughALinkIsAnErrorForNoneAndTgz() throws Exception {
        Path secret = hostSecret();
        try {
            String content = Files.readString(secret);
            for (String archive : List.of(", archive: {none: {}}", "")) {
                RunResult r = run(oneStep("ln -s " + secret + " /tmp/p",
                        "    outputs: {artifacts: [{name: leak, path: /tmp/p" + archive + "}]}"));
                assertNoLeak(r, content, "output artifact 'leak'");
            }
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void directoryArtifactWithALinkOutIsAnError() throws Exception {
        Path secret = hostSecret();
        try {
            String content = Files.readString(secret);
            RunResult r = run(oneStep("mkdir -p /tmp/d && echo ok > /tmp/d/a && ln -s " + secret + " /tmp/d/s",
                    "    outputs: {artifacts: [{name: leak, path: /tmp/d}]}"));
            NodeStatus p = pod(r);
            assertThat(p.phase()).isEqualTo(NodePhase.ERROR);
            assertThat(p.message()).contains("leak").contains("outside").doesNotContain(content);
            assertThat(r.toString()).doesNotContain(content);
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void scriptSourceIsExecutableSoShDashCRunsIt() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    script:
                      image: busybox
                      command: [sh, -c]
                      source: |
                        #!/bin/sh
                        echo ran-as-file
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(pod(r).outputs().result()).contains("ran-as-file");
    }
}
