package dev.weft.engine.plugin;

/**
 * An extension contributed by a plugin, with the class loader to make current around calls into it.
 *
 * @param pluginId    the contributing plugin
 * @param classLoader the plugin's class loader
 * @param extension   the extension instance
 * @param <T>         the extension point
 */
public record PluginExtension<T>(String pluginId, ClassLoader classLoader, T extension) {
}
