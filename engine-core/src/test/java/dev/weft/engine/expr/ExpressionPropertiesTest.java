package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.NodePhase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ExpressionPropertiesTest {

    private final Expressions expressions = new DefaultExpressions();

    // ---- substitution -------------------------------------------------------------------------------------

    @Property
    void textWithoutOpeningBracesIsReturnedUnchanged(@ForAll String text) {
        String plain = text.replace("{{", "{");
        assertThat(expressions.substitute(plain, Vars.none())).isEqualTo(plain);
        assertThat(expressions.substitutePartially(plain, Vars.none())).isEqualTo(plain);
    }

    @Property
    void substitutedVariableAppearsVerbatimBetweenItsSurroundings(
            @ForAll("braceFree") String before, @ForAll("braceFree") String after, @ForAll String value) {
        Vars vars = Vars.of("inputs.parameters.p", value);
        assertThat(expressions.substitute(before + "{{ inputs.parameters.p }}" + after, vars))
                .isEqualTo(before + value + after);
    }

    @Property
    void partialSubstitutionWithNothingKnownKeepsEveryTag(@ForAll("braceFree") String before,
            @ForAll("variableNames") String name, @ForAll("braceFree") String after) {
        String text = before + "{{" + name + "}}" + after + "{{=" + name + " + 1}}";
        assertThat(expressions.substitutePartially(text, Vars.none())).isEqualTo(text);
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

    @Provide
    Arbitrary<List<Piece>> templates() {
        Arbitrary<Piece> literal = braceFree().map(text -> new Piece(text, -1, false));
        Arbitrary<Piece> reference = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.of(true, false)).as((v, e) -> new Piece(null, v, e));
        return Arbitraries.oneOf(literal, reference).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> values() {
        return braceFree().list().ofSize(5);
    }

    @Property
    void templateSubstitutesEveryReferenceInPlace(@ForAll("templates") List<Piece> pieces,
            @ForAll("values") List<String> values) {
        StringBuilder template = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (Piece piece : pieces) {
            template.append(piece.template());
            expected.append(piece.literal() != null ? piece.literal() : values.get(piece.variable()));
        }
        Vars vars = Vars.of("v0", values.get(0), "v1", values.get(1), "v2", values.get(2), "v3", values.get(3),
                "v4", values.get(4));
        assertThat(expressions.substitute(template.toString(), vars)).isEqualTo(expected.toString());
    }

    @Property
    void twoPassSubstitutionEqualsOnePass(@ForAll("templates") List<Piece> pieces,
            @ForAll("values") List<String> values, @ForAll @IntRange(min = 0, max = 5) int knownFirst) {
        StringBuilder template = new StringBuilder();
        pieces.forEach(piece -> template.append(piece.template()));
        Map<String, Object> all = new java.util.HashMap<>();
        Map<String, Object> first = new java.util.HashMap<>();
        for (int i = 0; i < 5; i++) {
            all.put("v" + i, values.get(i));
            if (i < knownFirst) {
                first.put("v" + i, values.get(i));
            }
        }
        VariableResolver firstPass = name -> java.util.Optional.ofNullable(first.get(name));
        VariableResolver secondPass = name -> java.util.Optional.ofNullable(all.get(name));
        String partial = expressions.substitutePartially(template.toString(), firstPass);
        assertThat(expressions.substitute(partial, secondPass))
                .isEqualTo(expressions.substitute(template.toString(), secondPass));
    }

    @Property
    void bareWordsCompareAsStringsInWhen(@ForAll("words") String a, @ForAll("words") String b) {
        assertThat(expressions.evaluateWhen(a + " == " + b, Vars.none())).isEqualTo(a.equals(b));
        assertThat(expressions.evaluateWhen(a + " != '" + b + "'", Vars.none())).isEqualTo(!a.equals(b));
        assertThat(expressions.evaluateWhen(a + " =~ '^" + a + "$'", Vars.none())).isTrue();
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('a', 'c').withChars('_', 'X').ofMinLength(1).ofMaxLength(4)
                .filter(w -> Character.isLetter(w.charAt(0)) || w.charAt(0) == '_')
                .filter(w -> !w.equals("in"));
    }

    @Provide
    Arbitrary<String> braceFree() {
        return Arbitraries.strings().ofMaxLength(30).map(s -> s.replace("{", "(").replace("}", ")"));
    }

    @Provide
    Arbitrary<String> variableNames() {
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        // expr-lang keywords cannot start a variable path (they are operators or literals there)
        Set<String> keywords = Set.of("in", "and", "or", "not", "matches", "contains", "true", "false", "nil");
        return segment.list().ofMinSize(1).ofMaxSize(4)
                .filter(parts -> !keywords.contains(parts.get(0)))
                .map(parts -> String.join(".", parts));
    }

    // ---- literals and number rendering ---------------------------------------------------------------------

    @Property
    void jsonQuotedStringLiteralEvaluatesToTheString(@ForAll String text) {
        assertThat(expressions.evaluate(ValueText.json(text), Vars.none())).isEqualTo(text);
    }

    @Property
    void renderedDoublesReadBackExactly(@ForAll double d) {
        String text = ValueText.formatDouble(d);
        if (Double.isFinite(d)) {
            assertThat(Double.parseDouble(text)).isEqualTo(d);
            assertThat(text).doesNotEndWith(".0");
        }
    }

    @Property
    void renderedIntegralDoublesHaveNoFraction(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int i) {
        assertThat(ValueText.formatDouble(i)).isEqualTo(Integer.toString(i));
    }

    // ---- comparisons and arithmetic agree with Java ------------------------------------------------------

    @Property
    void integerComparisonsAgreeWithJavaInBothLanguages(@ForAll int a, @ForAll @IntRange(min = -2, max = 2) int delta,
            @ForAll("comparators") String op) {
        // b is close to a so that equal and neighbouring values, where <= and < differ, come up often
        long b = (long) a + delta;
        boolean expected = compare(a, op, b);
        assertThat(expressions.evaluateWhen(a + " " + op + " " + b, Vars.none())).isEqualTo(expected);
        assertThat(expressions.evaluate(a + " " + op + " " + b, Vars.none())).isEqualTo(expected);
        Vars vars = Vars.of("x", Integer.toString(a), "y", Long.toString(b));
        assertThat(expressions.evaluateWhen("{{x}} " + op + " {{y}}", vars)).isEqualTo(expected);
        assertThat(expressions.evaluate("asInt(x) " + op + " asInt(y)", vars)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> comparators() {
        return Arbitraries.of("==", "!=", "<", "<=", ">", ">=");
    }

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

    @Provide
    Arbitrary<Num> arithmetic() {
        Arbitrary<Num> leaf = Arbitraries.longs().between(-1000, 1000).map(Lit::new);
        return Arbitraries.recursive(() -> leaf,
                inner -> Combinators.combine(Arbitraries.of('+', '-', '*'), inner, inner).as(Op::new), 0, 4);
    }

    @Property
    void integerArithmeticAgreesWithJava(@ForAll("arithmetic") Num tree) {
        assertThat(expressions.evaluate(tree.print(), Vars.none())).as(tree.print()).isEqualTo(tree.value());
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
            return "!(" + c.print(words) + ")";
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

    @Provide
    Arbitrary<Cond> conditions() {
        Arbitrary<Cond> leaf = Combinators.combine(Arbitraries.longs().between(-50, 50), comparators(),
                Arbitraries.longs().between(-50, 50)).as(Cmp::new);
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.map(NotC::new),
                Combinators.combine(Arbitraries.of(true, false), inner, inner).as(Junc::new)), 0, 4);
    }

    @Property
    void booleanConditionsAgreeWithJavaInBothLanguages(@ForAll("conditions") Cond cond) {
        String symbols = cond.print(false);
        assertThat(expressions.evaluateWhen(symbols, Vars.none())).as(symbols).isEqualTo(cond.value());
        assertThat(expressions.evaluate(symbols, Vars.none())).as(symbols).isEqualTo(cond.value());
        String words = cond.print(true);
        assertThat(expressions.evaluate(words, Vars.none())).as(words).isEqualTo(cond.value());
    }

    // ---- depends --------------------------------------------------------------------------------------------

    private static final List<String> TASKS = List.of("A", "b-2", "task_3", "x9", "long-task-name");

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

    @Provide
    Arbitrary<Dep> dependsTrees() {
        Arbitrary<Dep> leaf = Combinators.combine(Arbitraries.of(TASKS), Arbitraries.of("", "Succeeded", "Failed",
                "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")).as(Ref::new);
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.map(NotD::new),
                Combinators.combine(Arbitraries.of(true, false), inner, inner).as(JuncD::new)), 0, 5);
    }

    @Provide
    Arbitrary<Map<String, TaskOutcome>> outcomes() {
        Arbitrary<NodePhase> phases = Arbitraries.of(NodePhase.class);
        Arbitrary<TaskOutcome> outcome = Combinators.combine(phases, Arbitraries.of(true, false),
                phases.list().ofMaxSize(4)).as(TaskOutcome::new);
        return outcome.list().ofSize(TASKS.size()).map(list -> {
            Map<String, TaskOutcome> map = new java.util.HashMap<>();
            for (int i = 0; i < TASKS.size(); i++) {
                map.put(TASKS.get(i), list.get(i));
            }
            return map;
        });
    }

    @Property
    void printedDependsTreeParsesBackToTheSameResult(@ForAll("dependsTrees") Dep tree,
            @ForAll("outcomes") Map<String, TaskOutcome> outcomes) {
        DependsExpression parsed = expressions.parseDepends(tree.print());
        assertThat(parsed.evaluate(outcomes::get)).as(tree.print()).isEqualTo(tree.value(outcomes));
        Set<String> names = new LinkedHashSet<>();
        tree.names(names);
        assertThat(parsed.tasks()).containsExactlyElementsOf(names);
    }

    @Property
    void bareTaskIsTheSameAsItsExpansion(@ForAll("outcomes") Map<String, TaskOutcome> outcomes) {
        for (String task : TASKS) {
            boolean bare = expressions.parseDepends(task).evaluate(outcomes::get);
            boolean expanded = expressions.parseDepends("(" + task + ".Succeeded || " + task + ".Skipped || " + task
                    + ".Daemoned)").evaluate(outcomes::get);
            assertThat(bare).isEqualTo(expanded);
        }
    }
}
