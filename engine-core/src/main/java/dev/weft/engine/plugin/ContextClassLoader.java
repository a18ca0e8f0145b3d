package dev.weft.engine.plugin;

import java.util.function.Supplier;

/**
 * Runs code with a given thread context class loader and restores the previous one. Calls into a plugin run with
 * the plugin's loader current, because SDKs look up services (HTTP clients, codecs) through it.
 */
public final class ContextClassLoader {

    private ContextClassLoader() {
    }

    /** Calls {@code body} with {@code loader} as the context class loader. */
    public static <T> T call(ClassLoader loader, Supplier<T> body) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return body.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs {@code body} with {@code loader} as the context class loader. */
    public static void run(ClassLoader loader, Runnable body) {
        call(loader, () -> {
            body.run();
            return null;
        });
    }
}
