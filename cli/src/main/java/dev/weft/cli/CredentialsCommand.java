package dev.weft.cli;

import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.store.StoreProviders;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.StoreConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weft credentials}: walks a store plugin's credential chain and prints every step, the tool an operator runs
 * inside a pod when artifact access fails. Prints sources, URIs and file paths, never keys or tokens.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = {"Walk a store's credential chain and print each step as CHOSEN, SKIPPED, FAILED or "
                + "NOT_TRIED with the reason. Never prints keys or tokens.",
                "Exit code 0 when a step was chosen, 3 when none was."})
final class CredentialsCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StorageSettings settings = store.storageSettings();
        StoreConfig config = settings.repositories().get("default");
        try (PluginHost host = PluginHost.load(settings.pluginsDir(), WeftVersion.forPluginChecks())) {
            StoreProviders providers = StoreProviders.withBuiltIns(host);
            providers.checkType(config);
            CredentialReport report = providers.diagnoseCredentials(config);
            out.println("Credential chain for store type '" + config.type() + "':");
            if (report.steps().isEmpty()) {
                out.println("  (this store type needs no credentials)");
                out.flush();
                return ExitCodes.OK;
            }
            for (CredentialStep step : report.steps()) {
                out.printf("  %-17s %-9s %s%n", step.source(), step.outcome(), step.reason());
                step.details().forEach((k, v) -> out.printf("  %-17s           %s: %s%n", "", k, v));
            }
            out.println(report.chosen().map(s -> "Using credentials from: " + s.source())
                    .orElse("No credentials found: every step above was skipped or failed."));
            out.flush();
            return report.chosen().isPresent() ? ExitCodes.OK : ExitCodes.NO_CREDENTIALS;
        }
    }
}
