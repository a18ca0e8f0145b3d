package dev.weft.engine.plugin;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes first (so each plugin keeps its own SDK, Jackson, OkHttp...),
 * except for the few packages the host and plugins must share, which always come from the host. Sharing the storage
 * SPI is what makes a plugin's {@code ArtifactStoreProvider} the same type as the engine's; sharing SLF4J sends the
 * plugin's logs to the host's logging.
 */
final class SharedPackagesClassLoader extends PluginClassLoader {

    /** Packages always loaded from the host, even if a plugin JAR bundles them by mistake. */
    static final List<String> SHARED_PACKAGES = List.of("dev.weft.storage.spi.", "org.pf4j.", "org.slf4j.");

    SharedPackagesClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isShared(className)) {
            return getParent().loadClass(className);
        }
        return super.loadClass(className);
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
