package dev.weft.engine.task.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared pieces of the sandbox tests: one probe per test JVM, sandboxes per mode, small helpers. */
final class SandboxTestSupport {

    /** Not under /tmp, which UNSHARE_TMP replaces; inside the module's build directory for inspection. */
    static final Path WORK_ROOT = Path.of("target", "sandbox-work").toAbsolutePath();

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SandboxTestSupport() {
    }

    /** The probe, computed once per test JVM and printed, so the test log says which modes ran. */
    private static final class ProbeHolder {
        static final SandboxProbe PROBE = probeAndPrint();

        private static SandboxProbe probeAndPrint() {
            SandboxProbe probe = new SandboxFactory(settings()).probe();
            System.out.println("Sandbox probe: " + probe.diagnostics());
            for (ModeProbe mode : probe.modes()) {
                System.out.println("  " + mode.mode() + (mode.available() ? " available: " : " UNAVAILABLE (tests skipped): ")
                        + mode.detail());
            }
            return probe;
        }
    }

    static SandboxProbe probe() {
        return ProbeHolder.PROBE;
    }

    static SandboxSettings settings() {
        return SandboxSettings.defaults().withWorkRoot(WORK_ROOT);
    }

    /** Every mode; each test skips (with the probe's reason) the ones this machine does not offer. */
    static Stream<IsolationMode> allModes() {
        return Arrays.stream(IsolationMode.values());
    }

    /** The sandbox in one mode, or a skipped test if the machine does not offer it. */
    static ProcessSandbox sandbox(IsolationMode mode) {
        return sandbox(mode, settings());
    }

    static ProcessSandbox sandbox(IsolationMode mode, SandboxSettings settings) {
        ModeProbe found = probe().of(mode);
        assumeTrue(found.available(), () -> mode + " is not available on this machine: " + found.detail());
        ProcessSandbox sandbox = new SandboxFactory(settings.withForcedMode(mode)).create(probe());
        assertThat(sandbox.mode()).isEqualTo(mode);
        return sandbox;
    }

    static ProcessLaunch sh(String script) {
        return new ProcessLaunch(List.of("sh", "-c", script), Map.of(), Optional.empty());
    }

    static ProcessOutcome await(RunningProcess running) throws Exception {
        return running.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static ProcessOutcome run(SandboxedTask task, ProcessLaunch launch) throws Exception {
        return await(task.start(launch));
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Waits (bounded) until a process with exactly these arguments runs below this JVM. */
    static ProcessHandle awaitDescendant(String command, String argument) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
                    .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(argument)).orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + command + " " + argument + "' process appeared within " + TIMEOUT);
    }
}
