package dev.weft.engine.model;

import java.util.Optional;

/**
 * Argo {@code withSequence}. Values are strings because they may contain {@code {{...}}}.
 *
 * @param count  how many numbers (with {@code start}); excludes {@code end}
 * @param start  the first number (default 0)
 * @param end    the last number, inclusive (may be below start: counts down)
 * @param format a printf format such as {@code testuser%02X}
 */
public record Sequence(Optional<String> count, Optional<String> start, Optional<String> end,
                       Optional<String> format) {
}
