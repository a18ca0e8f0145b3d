/**
 * Local process tasks, each in its own file system view, so parallel tasks writing the same absolute path
 * ({@code /tmp/out}, {@code /mnt/out}) never collide. See {@code shared/design/sandbox.md} for the measured recipe.
 *
 * <h2>Use from the engine</h2>
 * <pre>{@code
 * ProcessSandbox sandbox = new SandboxFactory(SandboxSettings.defaults()).create(); // once per engine; logs the mode
 * try (SandboxedTask task = sandbox.prepare(nodeName, declaredPaths)) {           // artifact/parameter/script paths
 *     Files.writeString(task.hostPath("/argo/staging/script"), task.rewrite(source)); // stage inputs
 *     RunningProcess running = task.start(new ProcessLaunch(argv, env, workingDir));
 *     running.completion().thenAccept(outcome -> ...);  // exitCode, stdout/stderr files, stopped, sandboxFailure
 *     running.stop(Duration.ofSeconds(10));              // timeout/deadline/cancel: SIGTERM, then SIGKILL the tree
 *     Files.readString(task.hostPath("/tmp/out"));       // read outputs before close()
 * }                                                      // close() deletes the task's directory
 * }</pre>
 *
 * <h2>Modes</h2>
 * The {@link dev.weft.engine.task.process.SandboxFactory} proves each {@link dev.weft.engine.task.process.IsolationMode}
 * by running a real probe task, and picks the best: bubblewrap with a per-task root (every path outside the host's
 * read-only directories is the task's own), the same in a user namespace, an {@code unshare} mount namespace with a
 * private {@code /tmp}, or plain path rewriting. In the last two, declared paths (and in path rewriting also
 * {@code /tmp}) are rewritten where they appear literally in argv and env values; the engine must pass script sources
 * through {@link dev.weft.engine.task.process.SandboxedTask#rewrite} too (identity in the bubblewrap modes).
 *
 * <h2>Outcomes</h2>
 * Exit codes are the command's own, 128+n for a signal n. When the sandbox itself fails (bubblewrap setup error,
 * command not found, missing working directory) the outcome carries
 * {@link dev.weft.engine.task.process.ProcessOutcome#sandboxFailure()} and exit code
 * {@link dev.weft.engine.task.process.ProcessOutcome#NOT_RUN}, never a plain exit code 1. Processes a task leaves
 * running in the background end with it (PID namespace with bubblewrap, session sweep otherwise).
 */
package dev.weft.engine.task.process;
