package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random token soup in every language: the only failure ever allowed is an {@link ExpressionException} (never a
 * NullPointerException, ClassCastException, StackOverflowError, ...), and its position lies inside the text.
 */
class MalformedInputTest {

    private static final List<String> TOKENS = List.of(
            "a", "b.c", "inputs.parameters.x", "item", "item.k", "#", "#index", ".f", "x-y", "A", "B.Succeeded",
            "C.Failed", "D.AllFailed", "E.Nope", "0", "1", "2.5", "-", "+", "*", "/", "%", "**", "^", "==", "!=",
            "<", "<=", ">", ">=", "=~", "!~", "&&", "||", "!", "and", "or", "not", "in", "?", ":", "??", "?.", ",",
            "(", ")", "[", "]", "{", "}", "{{", "}}", "{{=", "'", "\"", "'s'", "\"d\"", "`r`", "true", "false",
            "nil", "..", "asInt(", "asFloat(", "string(", "toJson(", "jsonpath(", "len(", "map(", "filter(",
            "sprig.trim(", "sprig.add(", "sprig.repeat(", "sprig.b64dec(", "sprig.regexMatch(", "repeat(", "split(",
            "'$.a'", "'$[*]'", "'{\"a\":[1,2]}'", "'['", "'('", " ", "\n", "\\", "@", "$", "~", "&", "|", ";",
            "'\\u12'", "0x", "1e", "9999999999999999999999", "[1,2]", "{k: 1}", "2000000000", "'$'", "''",
            "0..", "1000000", "-1", "[-1]", "[1:]", "'a' * ", "'x',");

    private final Expressions expressions = new DefaultExpressions();

    private static final Vars VARS = Vars.of("a", "1", "b.c", "x", "inputs.parameters.x", "{\"a\": [1, 2]}",
            "item", "{\"k\": \"v\"}", "A", "1");

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.range(0, 2000);
    }

    private static final List<String> LEAVES = List.of("1", "0", "-3", "2.5", "'s'", "'1'", "\"{}\"", "true", "nil",
            "a", "b.c", "inputs.parameters.x", "inputs.parameters['x']", "item", "item.k", "[1, 'x']", "{k: 1}",
            "#", "#index", ".k", "missing", "'$.a'", "'$[0]'", "''");

    private static final List<String> OPERATORS = List.of("+", "-", "*", "/", "%", "**", "==", "!=", "<", "<=", ">",
            ">=", "&&", "||", "and", "or", "in", "not in", "matches", "contains", "startsWith", "endsWith", "??",
            "..");

    private static final List<String> FUNCTIONS = List.of("asInt", "asFloat", "string", "toJson", "fromJson",
            "jsonpath", "len", "upper", "trim", "split", "join", "max", "min", "first", "keys", "repeat", "abs", "int",
            "sprig.trim", "sprig.add", "sprig.int", "sprig.default", "sprig.regexMatch", "sprig.b64dec",
            "sprig.splitList", "sprig.max", "sprig.div", "sprig.substr", "sprig.get", "sprig.join", "sprig.round",
            "sprig.until", "sprig.dict", "sprig.first", "sprig.trunc", "nope", "sprig.nope");

    /** A syntactically plausible expression mixing every type, so that evaluation (not parsing) is exercised. */
    private static String wellFormed(RandomCases r, int depth) {
        if (depth == 0 || r.chance(25)) {
            return r.pick(LEAVES);
        }
        return switch (r.between(0, 7)) {
            case 0 -> r.pick(List.of("!", "-", "not ")) + wellFormed(r, depth - 1);
            case 1 -> wellFormed(r, depth - 1) + " ? " + wellFormed(r, depth - 1) + " : " + wellFormed(r, depth - 1);
            case 2 -> {
                StringBuilder call = new StringBuilder(r.pick(FUNCTIONS)).append('(');
                int args = r.between(0, 3);
                for (int i = 0; i < args; i++) {
                    call.append(i > 0 ? ", " : "").append(wellFormed(r, depth - 1));
                }
                yield call.append(')').toString();
            }
            case 3 -> r.pick(List.of("map", "filter", "all", "any", "count", "find", "sum")) + "("
                    + wellFormed(r, depth - 1) + ", {" + wellFormed(r, depth - 1) + "})";
            case 4 -> "(" + wellFormed(r, depth - 1) + ")" + r.pick(List.of(".k", "?.k", "[0]", "[-1]", "['k']",
                    "[1:]", "[:1]", "[" + wellFormed(r, depth - 1) + "]"));
            default -> wellFormed(r, depth - 1) + " " + r.pick(OPERATORS) + " " + wellFormed(r, depth - 1);
        };
    }

    /** A plausible govaluate condition mixing numbers, strings, words and booleans. */
    private static String condition(RandomCases r, int depth) {
        if (depth == 0 || r.chance(25)) {
            return r.pick(List.of("1", "2.5", "heads", "'tails'", "\"x y\"", "true", "false", "[esc]", "a.b", "0",
                    "'('", "Succeeded"));
        }
        return switch (r.between(0, 4)) {
            case 0 -> r.pick(List.of("!", "-")) + condition(r, depth - 1);
            case 1 -> "(" + condition(r, depth - 1) + ")";
            case 2 -> condition(r, depth - 1) + " ? " + condition(r, depth - 1) + " : " + condition(r, depth - 1);
            case 3 -> condition(r, depth - 1) + " in (" + condition(r, depth - 1) + ", " + condition(r, depth - 1)
                    + ")";
            default -> condition(r, depth - 1) + " " + r.pick(List.of("==", "!=", "<", "<=", ">", ">=", "=~", "!~",
                    "&&", "||", "+", "-", "*", "/", "%", "**", "&", "??")) + " " + condition(r, depth - 1);
        };
    }

    /** A plausible depends expression, sometimes with a bad result name or stray character. */
    private static String depends(RandomCases r, int depth) {
        if (depth == 0 || r.chance(30)) {
            return r.pick(List.of("A", "b-2", "c_3")) + r.pick(List.of("", ".Succeeded", ".AllFailed", ".Daemoned",
                    ".Nope", ".", " ", "&", "(", ")"));
        }
        return switch (r.between(0, 2)) {
            case 0 -> "!" + depends(r, depth - 1);
            case 1 -> "(" + depends(r, depth - 1) + ")";
            default -> depends(r, depth - 1) + r.pick(List.of(" && ", " || ", "&&", " | ")) + depends(r, depth - 1);
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void whenAndDependsFailOnlyWithExpressionException(long seed) {
        RandomCases r = new RandomCases(seed);
        String when = condition(r, 4);
        onlyExpressionExceptions(seed, when, () -> expressions.evaluateWhen(when, VARS));
        String depends = depends(r, 5);
        onlyExpressionExceptions(seed, depends, () -> expressions.parseDepends(depends).evaluate(
                name -> new TaskOutcome(dev.weft.engine.NodePhase.FAILED, true,
                        List.of(dev.weft.engine.NodePhase.FAILED))));
    }

    private static String soup(RandomCases r) {
        if (r.chance(60)) {
            return wellFormed(r, 4);
        }
        StringBuilder out = new StringBuilder();
        int count = r.between(1, 12);
        for (int i = 0; i < count; i++) {
            out.append(r.pick(TOKENS));
            if (r.chance(50)) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    private static void onlyExpressionExceptions(long seed, String text, Supplier<?> call) {
        try {
            call.get();
        } catch (ExpressionException e) {
            assertThat(e.position()).as("seed %d: position of %s", seed, e.getMessage())
                    .isBetween(-1, e.expression().length());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("seed " + seed + ": " + e + " for input: " + text, e);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyLanguageFailsOnlyWithExpressionException(long seed) {
        RandomCases r = new RandomCases(seed);
        String text = soup(r);
        onlyExpressionExceptions(seed, text, () -> expressions.evaluate(text, VARS));
        onlyExpressionExceptions(seed, text, () -> expressions.evaluateWhen(text, VARS));
        onlyExpressionExceptions(seed, text, () -> expressions.parseDepends(text).evaluate(
                name -> TaskOutcome.of(dev.weft.engine.NodePhase.SUCCEEDED)));
        onlyExpressionExceptions(seed, text, () -> expressions.substitute("x{{=" + text + "}}y{{" + text + "}}", VARS));
        onlyExpressionExceptions(seed, text, () -> expressions.substitutePartially("{{=" + text + "}}", VARS));
    }
}
