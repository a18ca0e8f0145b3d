package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.NodePhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests as plain JUnit: each runs {@link RandomCases#CASES} seeded random cases; the seed is in the test
 * name and in every assertion message, so a failure reproduces with that seed alone.
 */
class ExpressionPropertiesTest {

    private final Expressions expressions = new DefaultExpressions();

    static java.util.stream.LongStream seeds() {
        return RandomCases.seeds();
    }

    // ---- substitution -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void textWithoutOpeningBracesIsReturnedUnchanged(long seed) {
        String plain = new RandomCases(seed).text(60);
        while (plain.contains("{{")) {
            plain = plain.replace("{{", "{");
        }
        assertThat(expressions.substitute(plain, Vars.none())).as("seed %d", seed).isEqualTo(plain);
        assertThat(expressions.substitutePartially(plain, Vars.none())).as("seed %d", seed).isEqualTo(plain);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void substitutedVariableAppearsVerbatimBetweenItsSurroundings(long seed) {
        RandomCases r = new RandomCases(seed);
        String before = r.braceFree(30);
        String after = r.braceFree(30);
        String value = r.text(30);
        Vars vars = Vars.of("inputs.parameters.p", value);
        assertThat(expressions.substitute(before + "{{ inputs.parameters.p }}" + after, vars)).as("seed %d", seed)
                .isEqualTo(before + value + after);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void partialSubstitutionWithNothingKnownKeepsEveryTag(long seed) {
        RandomCases r = new RandomCases(seed);
        String name = r.variableName();
        // expr-lang keywords cannot start a variable path (they are operators or literals there)
        if (Set.of("in", "and", "or", "not", "matches", "contains", "true", "false", "nil")
                .contains(name.split("\\.")[0])) {
            name = "v" + name;
        }
        String text = r.braceFree(20) + "{{" + name + "}}" + r.braceFree(20) + "{{=" + name + " + 1}}";
        assertThat(expressions.substitutePartially(text, Vars.none())).as("seed %d", seed).isEqualTo(text);
    }

    /** One piece of a generated template: literal text, or a reference to variable v0..v4 (simple or expression). */
    record Piece(String literal, int variable, boolean expression) {
        String template() {
            if (literal != null) {
                return literal;
            }
            return expression ? "{{= v" + variable + " }}" : "{{ v" + variable + " }}";
        }
    }

    private static List<Piece> template(RandomCases r) {
        List<Piece> pieces = new ArrayList<>();
        int count = r.between(0, 8);
        for (int i = 0; i < count; i++) {
            pieces.add(r.chance(50) ? new Piece(r.braceFree(12), -1, false)
                    : new Piece(null, r.between(0, 4), r.chance(50)));
        }
        return pieces;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void templateSubstitutesEveryReferenceInPlace(long seed) {
        RandomCases r = new RandomCases(seed);
        List<Piece> pieces = template(r);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(r.text(12));
        }
        StringBuilder template = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (Piece piece : pieces) {
            template.append(piece.template());
            expected.append(piece.literal() != null ? piece.literal() : values.get(piece.variable()));
        }
        Vars vars = Vars.of("v0", values.get(0), "v1", values.get(1), "v2", values.get(2), "v3", values.get(3),
                "v4", values.get(4));
        assertThat(expressions.substitute(template.toString(), vars)).as("seed %d: %s", seed, template)
                .isEqualTo(expected.toString());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoPassSubstitutionEqualsOnePass(long seed) {
        RandomCases r = new RandomCases(seed);
        StringBuilder template = new StringBuilder();
        template(r).forEach(piece -> template.append(piece.template()));
        int knownFirst = r.between(0, 5);
        Map<String, Object> all = new HashMap<>();
        Map<String, Object> first = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            // values must not themselves contain tags, or the second pass would substitute inside them
            String value = r.braceFree(12);
            all.put("v" + i, value);
            if (i < knownFirst) {
                first.put("v" + i, value);
            }
        }
        VariableResolver firstPass = name -> Optional.ofNullable(first.get(name));
        VariableResolver secondPass = name -> Optional.ofNullable(all.get(name));
        String partial = expressions.substitutePartially(template.toString(), firstPass);
        assertThat(expressions.substitute(partial, secondPass)).as("seed %d: %s", seed, template)
                .isEqualTo(expressions.substitute(template.toString(), secondPass));
    }

    // ---- literals and number rendering ---------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void jsonQuotedStringLiteralEvaluatesToTheString(long seed) {
        // evaluate() substitutes {{...}} tags before parsing, so the literal must not contain any
        String text = new RandomCases(seed).text(40).replace("{", "(");
        assertThat(expressions.evaluate(ValueText.json(text), Vars.none())).as("seed %d", seed).isEqualTo(text);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void renderedDoublesReadBackExactly(long seed) {
        RandomCases r = new RandomCases(seed);
        for (int i = 0; i < 20; i++) {
            double d = r.anyDouble();
            String text = ValueText.formatDouble(d);
            if (Double.isFinite(d)) {
                assertThat(Double.parseDouble(text)).as("seed %d: %s", seed, text).isEqualTo(d);
                assertThat(text).as("seed %d", seed).doesNotEndWith(".0");
            }
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 && d != 0) {
                assertThat(text).as("seed %d", seed).isEqualTo(Long.toString((long) d));
            }
        }
    }

    // ---- comparisons and arithmetic agree with Java ------------------------------------------------------

    private static final List<String> COMPARATORS = List.of("==", "!=", "<", "<=", ">", ">=");

    private static boolean compare(long a, String op, long b) {
        return switch (op) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            default -> a >= b;
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void integerComparisonsAgreeWithJavaInBothLanguages(long seed) {
        RandomCases r = new RandomCases(seed);
        int a = r.anyInt();
        // b is close to a so that equal and neighbouring values, where <= and < differ, come up often
        long b = (long) a + r.between(-2, 2);
        String op = r.pick(COMPARATORS);
        boolean expected = compare(a, op, b);
        String text = a + " " + op + " " + b;
        assertThat(expressions.evaluateWhen(text, Vars.none())).as("seed %d: %s", seed, text).isEqualTo(expected);
        assertThat(expressions.evaluate(text, Vars.none())).as("seed %d: %s", seed, text).isEqualTo(expected);
        Vars vars = Vars.of("x", Integer.toString(a), "y", Long.toString(b));
        assertThat(expressions.evaluateWhen("{{x}} " + op + " {{y}}", vars)).as("seed %d", seed).isEqualTo(expected);
        assertThat(expressions.evaluate("asInt(x) " + op + " asInt(y)", vars)).as("seed %d", seed)
                .isEqualTo(expected);
    }

    /** An integer arithmetic tree, printed with only the parentheses precedence needs. */
    sealed interface Num {
        long value();

        String print();

        int precedence();
    }

    record Lit(long v) implements Num {
        public long value() {
            return v;
        }

        public String print() {
            return v < 0 ? "(" + v + ")" : Long.toString(v);
        }

        public int precedence() {
            return 3;
        }
    }

    record Op(char op, Num l, Num r) implements Num {
        public long value() {
            return switch (op) {
                case '+' -> l.value() + r.value();
                case '-' -> l.value() - r.value();
                default -> l.value() * r.value();
            };
        }

        public int precedence() {
            return op == '*' ? 2 : 1;
        }

        public String print() {
            String left = l.precedence() < precedence() ? "(" + l.print() + ")" : l.print();
            // the right side needs parentheses at equal precedence too: a - (b - c)
            String right = r.precedence() <= precedence() && !(r instanceof Lit) ? "(" + r.print() + ")"
                    : r.print();
            return left + " " + op + " " + right;
        }
    }

    private static Num arithmetic(RandomCases r, int depth) {
        if (depth == 0 || r.chance(30)) {
            return new Lit(r.between(-1000, 1000));
        }
        return new Op(r.pick(List.of('+', '-', '*')), arithmetic(r, depth - 1), arithmetic(r, depth - 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void integerArithmeticAgreesWithJava(long seed) {
        Num tree = arithmetic(new RandomCases(seed), 5);
        assertThat(expressions.evaluate(tree.print(), Vars.none())).as("seed %d: %s", seed, tree.print())
                .isEqualTo(tree.value());
    }

    /** A boolean tree over integer comparisons, printed with minimal parentheses. */
    sealed interface Cond {
        boolean value();

        String print(boolean wordOperators);

        int precedence();
    }

    record Cmp(long a, String op, long b) implements Cond {
        public boolean value() {
            return compare(a, op, b);
        }

        public String print(boolean words) {
            return a + " " + op + " " + b;
        }

        public int precedence() {
            return 3;
        }
    }

    record NotC(Cond c) implements Cond {
        public boolean value() {
            return !c.value();
        }

        public String print(boolean words) {
            return (words ? "not (" : "!(") + c.print(words) + ")";
        }

        public int precedence() {
            return 3;
        }
    }

    record Junc(boolean and, Cond l, Cond r) implements Cond {
        public boolean value() {
            return and ? l.value() && r.value() : l.value() || r.value();
        }

        public String print(boolean words) {
            String op = and ? (words ? "and" : "&&") : (words ? "or" : "||");
            return wrap(l, words) + " " + op + " " + wrap(r, words);
        }

        private String wrap(Cond child, boolean words) {
            return child.precedence() < precedence() ? "(" + child.print(words) + ")" : child.print(words);
        }

        public int precedence() {
            return and ? 2 : 1;
        }
    }

    private static Cond condition(RandomCases r, int depth) {
        if (depth == 0 || r.chance(30)) {
            return new Cmp(r.between(-5, 5), r.pick(COMPARATORS), r.between(-5, 5));
        }
        if (r.chance(20)) {
            return new NotC(condition(r, depth - 1));
        }
        return new Junc(r.chance(50), condition(r, depth - 1), condition(r, depth - 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void booleanConditionsAgreeWithJavaInBothLanguages(long seed) {
        Cond cond = condition(new RandomCases(seed), 5);
        String symbols = cond.print(false);
        assertThat(expressions.evaluateWhen(symbols, Vars.none())).as("seed %d: %s", seed, symbols)
                .isEqualTo(cond.value());
        assertThat(expressions.evaluate(symbols, Vars.none())).as("seed %d: %s", seed, symbols)
                .isEqualTo(cond.value());
        String words = cond.print(true);
        assertThat(expressions.evaluate(words, Vars.none())).as("seed %d: %s", seed, words).isEqualTo(cond.value());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bareWordsCompareAsStringsInWhen(long seed) {
        RandomCases r = new RandomCases(seed);
        String a = "w" + r.word("abX_", 3);
        String b = r.chance(30) ? a : "w" + r.word("abX_", 3);
        assertThat(expressions.evaluateWhen(a + " == " + b, Vars.none())).as("seed %d", seed).isEqualTo(a.equals(b));
        assertThat(expressions.evaluateWhen(a + " != '" + b + "'", Vars.none())).as("seed %d", seed)
                .isEqualTo(!a.equals(b));
        assertThat(expressions.evaluateWhen(a + " =~ '^" + a + "$'", Vars.none())).as("seed %d", seed).isTrue();
    }

    // ---- depends --------------------------------------------------------------------------------------------

    private static final List<String> TASKS = List.of("A", "b-2", "task_3", "x9", "long-task-name");

    private static final List<String> RESULTS = List.of("", "Succeeded", "Failed", "Errored", "Skipped", "Omitted",
            "Daemoned", "AnySucceeded", "AllFailed");

    /** A depends tree with its own, independent reading of Argo's semantics. */
    sealed interface Dep {
        boolean value(Map<String, TaskOutcome> outcomes);

        String print();

        int precedence();

        void names(Set<String> into);
    }

    record Ref(String task, String result) implements Dep {
        public boolean value(Map<String, TaskOutcome> outcomes) {
            TaskOutcome o = outcomes.get(task);
            NodePhase p = o.phase();
            boolean daemoned = o.daemoned() && p != NodePhase.PENDING;
            List<NodePhase> children = o.childPhases();
            return switch (result) {
                case "" -> p == NodePhase.SUCCEEDED || p == NodePhase.SKIPPED || daemoned;
                case "Succeeded" -> p == NodePhase.SUCCEEDED;
                case "Failed" -> p == NodePhase.FAILED;
                case "Errored" -> p == NodePhase.ERROR;
                case "Skipped" -> p == NodePhase.SKIPPED;
                case "Omitted" -> p == NodePhase.OMITTED;
                case "Daemoned" -> daemoned;
                case "AnySucceeded" -> children.stream().anyMatch(c -> c == NodePhase.SUCCEEDED);
                default -> !children.isEmpty() && children.stream().allMatch(c -> c == NodePhase.FAILED);
            };
        }

        public String print() {
            return result.isEmpty() ? task : task + "." + result;
        }

        public int precedence() {
            return 3;
        }

        public void names(Set<String> into) {
            into.add(task);
        }
    }

    record NotD(Dep d) implements Dep {
        public boolean value(Map<String, TaskOutcome> outcomes) {
            return !d.value(outcomes);
        }

        public String print() {
            return d.precedence() < 3 ? "!(" + d.print() + ")" : "!" + d.print();
        }

        public int precedence() {
            return 3;
        }

        public void names(Set<String> into) {
            d.names(into);
        }
    }

    record JuncD(boolean and, Dep l, Dep r) implements Dep {
        public boolean value(Map<String, TaskOutcome> outcomes) {
            return and ? l.value(outcomes) && r.value(outcomes) : l.value(outcomes) || r.value(outcomes);
        }

        public String print() {
            return wrap(l) + (and ? " && " : " || ") + wrap(r);
        }

        private String wrap(Dep child) {
            return child.precedence() < precedence() ? "(" + child.print() + ")" : child.print();
        }

        public int precedence() {
            return and ? 2 : 1;
        }

        public void names(Set<String> into) {
            l.names(into);
            r.names(into);
        }
    }

    private static Dep depends(RandomCases r, int depth) {
        if (depth == 0 || r.chance(30)) {
            return new Ref(r.pick(TASKS), r.pick(RESULTS));
        }
        if (r.chance(20)) {
            return new NotD(depends(r, depth - 1));
        }
        return new JuncD(r.chance(50), depends(r, depth - 1), depends(r, depth - 1));
    }

    private static Map<String, TaskOutcome> outcomes(RandomCases r) {
        List<NodePhase> phases = List.of(NodePhase.values());
        Map<String, TaskOutcome> map = new HashMap<>();
        for (String task : TASKS) {
            List<NodePhase> children = new ArrayList<>();
            int count = r.between(0, 4);
            for (int i = 0; i < count; i++) {
                children.add(r.chance(50) ? NodePhase.FAILED : r.pick(phases));
            }
            map.put(task, new TaskOutcome(r.pick(phases), r.chance(30), children));
        }
        return map;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void printedDependsTreeParsesBackToTheSameResult(long seed) {
        RandomCases r = new RandomCases(seed);
        Dep tree = depends(r, 6);
        DependsExpression parsed = expressions.parseDepends(tree.print());
        for (int i = 0; i < 10; i++) {
            Map<String, TaskOutcome> outcomes = outcomes(r);
            assertThat(parsed.evaluate(outcomes::get)).as("seed %d: %s with %s", seed, tree.print(), outcomes)
                    .isEqualTo(tree.value(outcomes));
        }
        Set<String> names = new LinkedHashSet<>();
        tree.names(names);
        assertThat(parsed.tasks()).as("seed %d", seed).containsExactlyElementsOf(names);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bareTaskIsTheSameAsItsExpansion(long seed) {
        Map<String, TaskOutcome> outcomes = outcomes(new RandomCases(seed));
        for (String task : TASKS) {
            boolean bare = expressions.parseDepends(task).evaluate(outcomes::get);
            boolean expanded = expressions.parseDepends("(" + task + ".Succeeded || " + task + ".Skipped || " + task
                    + ".Daemoned)").evaluate(outcomes::get);
            assertThat(bare).as("seed %d: %s", seed, task).isEqualTo(expanded);
        }
    }
}
