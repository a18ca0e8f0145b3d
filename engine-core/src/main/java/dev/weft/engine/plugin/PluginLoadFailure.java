package dev.weft.engine.plugin;

import java.nio.file.Path;

/**
 * A file in the plugins folder that did not become a working plugin, and why. Not fatal: the engine runs without it.
 *
 * @param path   the file
 * @param reason what went wrong, in words an operator can act on
 */
public record PluginLoadFailure(Path path, String reason) {

    @Override
    public String toString() {
        return path.getFileName() + ": " + reason;
    }
}
