package dev.weft.engine.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin JAR in a test: compiles a small {@code ArtifactStoreProvider} with the JDK compiler and packs
 * it with a PF4J manifest and {@code META-INF/extensions.idx}, as the store modules' builds do.
 */
final class TestPluginJar {

    private TestPluginJar() {
    }

    /** A plugin whose provider makes stores of {@code type}; each store's description reports its class loaders. */
    static Path build(Path dir, String pluginId, String type, String requires) {
        String className = "dev.weft.testplugin." + pluginId.replace('-', '_') + ".ProbeProvider";
        String packageName = className.substring(0, className.lastIndexOf('.'));
        String source = """
                package %s;

                import dev.weft.storage.spi.*;
                import java.io.InputStream;
                import java.nio.file.Path;
                import java.util.*;
                import java.util.stream.Stream;

                @org.pf4j.Extension
                public class ProbeProvider implements ArtifactStoreProvider {
                    public String type() { return "%s"; }
                    public ArtifactStore create(StoreConfig config) {
                        boolean contextIsPlugin = Thread.currentThread().getContextClassLoader()
                                == ProbeProvider.class.getClassLoader();
                        return new ArtifactStore() {
                            public void put(ArtifactKey k, Path p) { throw new UnsupportedOperationException(); }
                            public void put(ArtifactKey k, InputStream d, long l) { throw new UnsupportedOperationException(); }
                            public InputStream open(ArtifactKey k) { throw ArtifactStoreException.notFound("probe", k); }
                            public Optional<ArtifactInfo> stat(ArtifactKey k) { return Optional.empty(); }
                            public Stream<ArtifactInfo> list(String p) { return Stream.empty(); }
                            public void delete(ArtifactKey k) { }
                            public StoreDescription describe() {
                                Map<String, String> a = new LinkedHashMap<>();
                                a.put("contextIsPluginAtCreate", Boolean.toString(contextIsPlugin));
                                a.put("contextIsPluginNow", Boolean.toString(Thread.currentThread()
                                        .getContextClassLoader() == ProbeProvider.class.getClassLoader()));
                                return new StoreDescription("%s", config.name(), a, CredentialReport.none());
                            }
                            public void close() { }
                        };
                    }
                }
                """.formatted(packageName, type, type);
        try {
            Path src = Files.createDirectories(dir.resolve(pluginId + "-src/" + packageName.replace('.', '/')));
            Path file = Files.writeString(src.resolve("ProbeProvider.java"), source);
            Path classes = Files.createDirectories(dir.resolve(pluginId + "-classes"));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int rc = compiler.run(null, null, null, "-proc:none", "-d", classes.toString(),
                    "-cp", System.getProperty("java.class.path"), file.toString());
            if (rc != 0) {
                throw new IllegalStateException("test plugin did not compile");
            }
            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue("Plugin-Id", pluginId);
            main.putValue("Plugin-Version", "1.2.3");
            main.putValue("Plugin-Requires", requires);
            Path jar = dir.resolve(pluginId + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                 Stream<Path> walk = Files.walk(classes)) {
                for (Path path : walk.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                write(out, className + "\n");
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The names of the entries in a JAR, for assertions. */
    static List<String> entries(Path jar) throws IOException {
        try (var file = new java.util.jar.JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }
}
