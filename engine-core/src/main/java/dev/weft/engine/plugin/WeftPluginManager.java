package dev.weft.engine.plugin;

import java.nio.file.Path;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.RuntimeMode;

/**
 * PF4J's JAR plugin manager with Weft's class loading rules ({@link SharedPackagesClassLoader}) and always in
 * deployment mode: {@code -Dpf4j.mode=development} would make PF4J ignore JARs altogether.
 */
final class WeftPluginManager extends JarPluginManager {

    WeftPluginManager(Path pluginsDir, String systemVersion) {
        super(pluginsDir);
        setSystemVersion(systemVersion);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new SharedPackagesClassLoader(pluginManager, descriptor, WeftPluginManager.class.getClassLoader());
            }
        };
    }
}
