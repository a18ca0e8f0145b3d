package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Generators for the seeded property tests: every case is built from one {@link Random} seeded with the case's
 * number, so a failing seed (named in the assertion message) reproduces exactly.
 */
final class RandomCases {

    /** How many seeds each property runs. */
    static final int CASES = 300;

    private static final String ALPHABET = "abcXYZ019 _-.,:;!?'\"\\/()[]<>=&|+*%#$@~`^\t\n\r"
            + "\u00e9\u00df\u4e2d\u0000\u2028";

    private final Random random;

    RandomCases(long seed) {
        this.random = new Random(seed);
    }

    /** The seeds, for {@code @MethodSource}. */
    static LongStream seeds() {
        return LongStream.range(0, CASES);
    }

    Random random() {
        return random;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** Any text: awkward characters, braces, quotes, controls, non-ASCII, surrogate pairs. */
    String text(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                out.append(random.nextBoolean() ? '{' : '}');
            } else if (kind == 1) {
                out.appendCodePoint(0x1F600 + random.nextInt(40));
            } else if (kind == 2) {
                out.append((char) between(0x20, 0x7e));
            } else {
                out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return out.toString();
    }

    /** Text without braces, so it cannot form or break a tag. */
    String braceFree(int maxLength) {
        return text(maxLength).replace('{', '(').replace('}', ')');
    }

    /** A lower-case word of 1..max letters from a small alphabet (so equal words come up often). */
    String word(String letters, int max) {
        int length = between(1, max);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(letters.charAt(random.nextInt(letters.length())));
        }
        return out.toString();
    }

    /** A dotted variable name such as {@code ab.c.def}. */
    String variableName() {
        List<String> parts = new ArrayList<>();
        int segments = between(1, 4);
        for (int i = 0; i < segments; i++) {
            parts.add(word("abcdefghijklmnopqrstuvwxyz", 6));
        }
        return String.join(".", parts);
    }

    /** Doubles of every magnitude plus the special values. */
    double anyDouble() {
        return switch (random.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextDouble() * Math.pow(10, between(-12, 25)) * (random.nextBoolean() ? 1 : -1);
            case 2 -> pick(List.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e21, 1e-6, 9.999999999999999e20,
                    0.1, 1.0 / 3, Double.NaN, Double.POSITIVE_INFINITY));
            case 3 -> random.nextInt(2_000_001) - 1_000_000;
            default -> Math.round(random.nextDouble() * 1e6) / 1e3;
        };
    }

    /** Any int, biased towards the edges. */
    int anyInt() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1));
            case 1 -> between(-100, 100);
            default -> random.nextInt();
        };
    }
}
