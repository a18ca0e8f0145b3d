package dev.weft.cli;

import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.LoadedPlugin;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.plugin.PluginLoadFailure;
import dev.weft.engine.store.StoreProviders;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft plugins}: what the plugins folder holds, what loaded, and what did not and why. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List loaded plugins, their versions and store types, and any JAR that failed to load.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = PluginHost.load(store.storageSettings().pluginsDir(), WeftVersion.forPluginChecks())) {
            out.println("Plugins folder: " + host.pluginsDir());
            StoreProviders providers = StoreProviders.withBuiltIns(host);
            out.println("Store types: " + String.join(", ", providers.types()));
            if (host.plugins().isEmpty()) {
                out.println("No plugins loaded.");
            }
            for (LoadedPlugin plugin : host.plugins()) {
                out.printf("  %-24s %-16s stores %-12s requires %s  (%s)%n", plugin.id(), plugin.version(),
                        String.join(",", plugin.storeTypes()), plugin.requires(), plugin.path().getFileName());
            }
            for (PluginLoadFailure failure : host.failures()) {
                out.println("  FAILED " + failure.path().getFileName() + ": " + failure.reason());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
