package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns what a sandbox wrapper wrote to the task's stderr into a short failure message. */
final class FailureMessages {

    private static final int MAX_CHARS = 2000;

    private FailureMessages() {
    }

    static String fromStderr(Path stderr, String fallback) {
        String text;
        try {
            if (!Files.exists(stderr)) {
                return fallback;
            }
            byte[] bytes;
            try (var in = Files.newInputStream(stderr)) {
                bytes = in.readNBytes(MAX_CHARS * 2);
            }
            text = new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return fallback + " (stderr unreadable: " + e.getMessage() + ")";
        }
        if (text.isEmpty()) {
            return fallback;
        }
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
    }
}
