package dev.weft.engine.task.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFactoryTest {

    @Test
    void probeReportsEveryModeAndPathRewriteIsAlwaysAvailable() {
        SandboxProbe probe = SandboxTestSupport.probe();
        assertThat(probe.modes()).extracting(ModeProbe::mode).containsExactly(IsolationMode.values());
        assertThat(probe.availableModes()).contains(IsolationMode.PATH_REWRITE);
        assertThat(probe.diagnostics()).contains("workRoot=" + SandboxTestSupport.WORK_ROOT);
        probe.modes().forEach(m -> assertThat(m.detail()).isNotBlank());
    }

    @Test
    void createPicksTheBestProvenModeAndSaysWhich() {
        SandboxProbe probe = SandboxTestSupport.probe();
        ProcessSandbox sandbox = new SandboxFactory(SandboxTestSupport.settings()).create(probe);
        IsolationMode best = probe.availableModes().get(0);
        assertThat(sandbox.mode()).isEqualTo(best);
        assertThat(sandbox.describe()).contains(best.name());
        for (ModeProbe better : probe.modes().subList(0, best.ordinal())) {
            assertThat(sandbox.describe()).contains(better.mode() + ": " + better.detail());
        }
    }

    @Test
    void forcedModeTheProbeDoesNotProveFailsWithTheReason(@TempDir Path underTmp) {
        // A work root under /tmp rules out UNSHARE_TMP, which replaces /tmp, on every machine.
        Path realTmp = underTmp.toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(realTmp.startsWith("/tmp"), "java.io.tmpdir is not /tmp");
        SandboxSettings settings = SandboxSettings.defaults().withWorkRoot(realTmp.resolve("work"))
                .withForcedMode(IsolationMode.UNSHARE_TMP);
        assertThatThrownBy(() -> new SandboxFactory(settings).create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("UNSHARE_TMP is forced")
                .hasMessageContaining("lies under /tmp");
    }

    @Test
    void probeLeavesNoScratchDirectoriesBehind(@TempDir Path work) throws Exception {
        Path root = Path.of("target", "probe-cleanup-" + System.nanoTime()).toAbsolutePath();
        SandboxProbe probe = new SandboxFactory(SandboxSettings.defaults().withWorkRoot(root)).probe();
        assertThat(probe.availableModes()).isNotEmpty();
        try (var left = Files.list(root)) {
            assertThat(left.toList()).isEmpty();
        }
        Files.delete(root);
    }

    @Test
    void defaultSettingsAliasPythonAndKeepTheWorkRootOutOfTmp() {
        SandboxSettings defaults = SandboxSettings.defaults();
        assertThat(defaults.commandAliases()).containsEntry("python", "python3");
        assertThat(defaults.forcedMode()).isEmpty();
        if (Files.isWritable(Path.of("/var/tmp"))) {
            assertThat(defaults.workRoot().getParent()).isEqualTo(Path.of("/var/tmp"));
        }
        assertThat(defaults.workRoot().toString()).doesNotStartWith("/tmp/");
    }
}
