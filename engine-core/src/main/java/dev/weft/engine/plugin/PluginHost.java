package dev.weft.engine.plugin;

import dev.weft.storage.spi.ArtifactStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins folder, loaded: every {@code *.jar} in it becomes a started PF4J plugin with its own class loader, or a
 * {@link PluginLoadFailure} that says why not. A bad JAR never stops the engine: the built-in {@code fs} store and
 * the other plugins keep working.
 *
 * <p>Closing unloads the plugins (close the stores they made first). Hot unloading is not supported: SDK daemon
 * threads can pin a plugin's class loader.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final Path pluginsDir;
    private final String systemVersion;
    private final WeftPluginManager manager;
    private final List<LoadedPlugin> loaded = new ArrayList<>();
    private final List<PluginLoadFailure> failures = new ArrayList<>();

    private PluginHost(Path pluginsDir, String systemVersion) {
        this.pluginsDir = pluginsDir.toAbsolutePath().normalize();
        this.systemVersion = systemVersion;
        this.manager = new WeftPluginManager(this.pluginsDir, systemVersion);
    }

    /**
     * Loads and starts every plugin JAR in {@code pluginsDir}. A missing or empty folder gives a host with no plugins.
     *
     * @param systemVersion the Weft version plugins' {@code Plugin-Requires} ranges are checked against
     */
    public static PluginHost load(Path pluginsDir, String systemVersion) {
        PluginHost host = new PluginHost(pluginsDir, systemVersion);
        host.loadAll();
        return host;
    }

    /** The folder plugins were loaded from, absolute. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** The plugins that loaded and started, in file name order. */
    public List<LoadedPlugin> plugins() {
        return List.copyOf(loaded);
    }

    /** The files that did not load, with reasons. */
    public List<PluginLoadFailure> failures() {
        return List.copyOf(failures);
    }

    /** Every started plugin's extensions of the given extension point. */
    public <T> List<PluginExtension<T>> extensions(Class<T> extensionPoint) {
        List<PluginExtension<T>> result = new ArrayList<>();
        for (LoadedPlugin plugin : loaded) {
            ClassLoader loader = manager.getPluginClassLoader(plugin.id());
            for (T extension : ContextClassLoader.call(loader,
                    () -> manager.getExtensions(extensionPoint, plugin.id()))) {
                result.add(new PluginExtension<>(plugin.id(), loader, extension));
            }
        }
        return result;
    }

    @Override
    public void close() {
        // unloadPlugins, not stopPlugins: in PF4J 3.15 stopPlugins throws or stops only one plugin (pf4j#656).
        manager.unloadPlugins();
    }

    private void loadAll() {
        if (!Files.isDirectory(pluginsDir)) {
            LOG.info("Plugins folder {} does not exist: running with built-in stores only", pluginsDir);
            return;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(pluginsDir)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot read plugins folder {}: {}", pluginsDir, e.toString());
            failures.add(new PluginLoadFailure(pluginsDir, "cannot read the folder: " + e.getMessage()));
            return;
        }
        Map<String, Path> idToJar = new TreeMap<>();
        for (Path jar : jars) {
            load(jar).ifPresent(id -> idToJar.put(id, jar));
        }
        manager.startPlugins();
        for (Map.Entry<String, Path> entry : idToJar.entrySet()) {
            register(entry.getKey(), entry.getValue());
        }
        LOG.info("Plugins from {}: {} loaded {}, {} failed {}", pluginsDir, loaded.size(),
                loaded.stream().map(p -> p.id() + "@" + p.version() + p.storeTypes()).toList(),
                failures.size(), failures);
    }

    /** Checks the JAR's manifest, then lets PF4J load it; returns the plugin id on success. */
    private Optional<String> load(Path jar) {
        String id;
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            id = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
            if (id == null || id.isBlank()) {
                return fail(jar, "no Plugin-Id in its manifest: not a Weft plugin JAR");
            }
            if (file.getEntry("META-INF/extensions.idx") == null) {
                return fail(jar, "no META-INF/extensions.idx: its extensions were never indexed "
                        + "(build it with PF4J's ExtensionAnnotationProcessor)");
            }
            PluginWrapper existing = manager.getPlugin(id);
            if (existing != null) {
                return fail(jar, "duplicate Plugin-Id '" + id + "' (already loaded from "
                        + existing.getPluginPath().getFileName() + ")");
            }
            Attributes attributes = manifest.getMainAttributes();
            if (attributes.getValue("Plugin-Version") == null) {
                return fail(jar, "no Plugin-Version in its manifest");
            }
        } catch (IOException | SecurityException e) {
            return fail(jar, "not a readable JAR (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            String loadedId = manager.loadPlugin(jar);
            if (loadedId == null) {
                return fail(jar, "PF4J could not load it (see the log above for its reason)");
            }
            return Optional.of(loadedId);
        } catch (RuntimeException e) {
            return fail(jar, "PF4J could not load it: " + e.getMessage());
        }
    }

    private void register(String id, Path jar) {
        PluginWrapper plugin = manager.getPlugin(id);
        if (plugin == null) {
            fail(jar, "it was unloaded while resolving (see the log above)");
            return;
        }
        String requires = Optional.ofNullable(plugin.getDescriptor().getRequires()).orElse("*");
        if (plugin.getPluginState() != PluginState.STARTED) {
            String reason = plugin.getPluginState() == PluginState.DISABLED
                    ? "requires Weft " + requires + " but this is Weft " + systemVersion
                    : "did not start (state " + plugin.getPluginState() + ")"
                            + Optional.ofNullable(plugin.getFailedException()).map(e -> ": " + e).orElse("");
            fail(jar, reason);
            manager.unloadPlugin(id);
            return;
        }
        List<String> types = new ArrayList<>();
        ClassLoader loader = plugin.getPluginClassLoader();
        try {
            for (ArtifactStoreProvider provider : ContextClassLoader.call(loader,
                    () -> manager.getExtensions(ArtifactStoreProvider.class, id))) {
                types.add(provider.type());
            }
        } catch (RuntimeException | LinkageError e) {
            fail(jar, "its extensions cannot be created: " + e);
            manager.unloadPlugin(id);
            return;
        }
        loaded.add(new LoadedPlugin(id, plugin.getDescriptor().getVersion(), requires, jar, types));
    }

    private Optional<String> fail(Path jar, String reason) {
        LOG.warn("Skipping plugin {}: {}", jar.getFileName(), reason);
        failures.add(new PluginLoadFailure(jar, reason));
        return Optional.empty();
    }
}
