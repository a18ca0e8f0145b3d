package dev.weft.benchmarks.stores;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The baselines for the {@code fs} store: {@link Files#copy} into and out of a directory, nothing else; or, as the
 * fair floor for a store that promises durability ({@code sync=true}), the same followed by an fsync of the written
 * file and of its directory (what any durable write must at least pay). Reads are never forced, as in the store.
 */
final class RawFilesClient implements ObjectClient {

    private final Path root;
    private final boolean durable;

    RawFilesClient(Path root, boolean durable) {
        this.root = root;
        this.durable = durable;
    }

    @Override
    public void putFile(String key, Path file) throws Exception {
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        force(target);
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
        force(target);
    }

    @Override
    public byte[] getBytes(String key) throws Exception {
        return Files.readAllBytes(root.resolve(key));
    }

    private void force(Path file) throws IOException {
        if (!durable) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    @Override
    public void close() {
    }
}
