package dev.weft.benchmarks.stores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The baseline for the {@code fs} store: {@link Files#copy} into and out of a directory, nothing else. */
final class RawFilesClient implements ObjectClient {

    private final Path root;

    RawFilesClient(Path root) {
        this.root = root;
    }

    @Override
    public void putFile(String key, Path file) throws Exception {
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void getFile(String key, Path target) throws Exception {
        Files.copy(root.resolve(key), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void putBytes(String key, byte[] data) throws Exception {
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        Files.write(target, data);
    }

    @Override
    public byte[] getBytes(String key) throws Exception {
        return Files.readAllBytes(root.resolve(key));
    }

    @Override
    public void close() {
    }
}
