package dev.weft.engine.testing;

import dev.weft.engine.NodePhase;
import dev.weft.engine.expr.DependsExpression;
import dev.weft.engine.expr.ExpressionException;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.expr.TaskOutcome;
import dev.weft.engine.expr.VariableResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately tiny stand-in for the real expression language, for executor tests that must not depend on it:
 * {@code {{name}}} substitution, {@code when} with {@code == != && || ! ( )}, and {@code depends} with
 * {@code && || ! ( )} and {@code .Succeeded/.Failed/.Errored/.Skipped/.Omitted}. Not a second implementation.
 */
public final class FakeExpressions implements Expressions {

    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

    @Override
    public String substitute(String text, VariableResolver vars) {
        return replace(text, vars, false);
    }

    @Override
    public String substitutePartially(String text, VariableResolver vars) {
        return replace(text, vars, true);
    }

    private static String replace(String text, VariableResolver vars, boolean partial) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object v = vars.resolve(name).orElse(null);
            if (v == null && !partial) {
                throw new ExpressionException(text, m.start(), "unknown variable '" + name + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public boolean evaluateWhen(String when, VariableResolver vars) {
        String s = substitute(when, vars);
        Parser p = new Parser(s, tokens(s));
        boolean r = p.or(word -> {
            throw new ExpressionException(s, 0, "bare word");
        });
        return r;
    }

    @Override
    public Object evaluate(String expression, VariableResolver vars) {
        throw new ExpressionException(expression, -1, "the fake does not evaluate expressions");
    }

    @Override
    public DependsExpression parseDepends(String depends) {
        List<String> tokens = tokens(depends);
        Set<String> tasks = new LinkedHashSet<>();
        for (String t : tokens) {
            if (Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_') {
                tasks.add(t.contains(".") ? t.substring(0, t.lastIndexOf('.')) : t);
            }
        }
        // check syntax now
        new Parser(depends, tokens).or(w -> true);
        return new DependsExpression() {
            @Override
            public String source() {
                return depends;
            }

            @Override
            public Set<String> tasks() {
                return tasks;
            }

            @Override
            public boolean evaluate(Function<String, TaskOutcome> outcomeOf) {
                return new Parser(depends, tokens).or(w -> {
                    int dot = w.lastIndexOf('.');
                    String suffix = dot < 0 ? "" : w.substring(dot + 1);
                    boolean hasSuffix = List.of("Succeeded", "Failed", "Errored", "Skipped", "Omitted")
                            .contains(suffix);
                    NodePhase p = outcomeOf.apply(hasSuffix ? w.substring(0, dot) : w).phase();
                    return switch (hasSuffix ? suffix : "") {
                        case "Succeeded" -> p == NodePhase.SUCCEEDED;
                        case "Failed" -> p == NodePhase.FAILED;
                        case "Errored" -> p == NodePhase.ERROR;
                        case "Skipped" -> p == NodePhase.SKIPPED;
                        case "Omitted" -> p == NodePhase.OMITTED;
                        default -> p == NodePhase.SUCCEEDED || p == NodePhase.SKIPPED;
                    };
                });
            }
        };
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith("==", i)
                    || s.startsWith("!=", i)) {
                out.add(s.substring(i, i + 2));
                i += 2;
            } else if (c == '(' || c == ')' || c == '!') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()!&|=".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                if (j == i) {
                    throw new ExpressionException(s, i, "unexpected '" + c + "'");
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static final class Parser {
        private final String src;
        private final List<String> t;
        private int pos;

        Parser(String src, List<String> t) {
            this.src = src;
            this.t = t;
        }

        boolean or(Function<String, Boolean> word) {
            boolean v = and(word);
            while (pos < t.size() && t.get(pos).equals("||")) {
                pos++;
                boolean r = and(word);
                v = v || r;
            }
            if (pos == 0 || (pos < t.size() && !t.get(pos).equals(")"))) {
                if (pos < t.size()) {
                    throw new ExpressionException(src, pos, "unexpected '" + t.get(pos) + "'");
                }
            }
            return v;
        }

        boolean and(Function<String, Boolean> word) {
            boolean v = not(word);
            while (pos < t.size() && t.get(pos).equals("&&")) {
                pos++;
                boolean r = not(word);
                v = v && r;
            }
            return v;
        }

        boolean not(Function<String, Boolean> word) {
            if (pos < t.size() && t.get(pos).equals("!")) {
                pos++;
                return !not(word);
            }
            if (pos < t.size() && t.get(pos).equals("(")) {
                pos++;
                boolean v = or(word);
                if (pos >= t.size() || !t.get(pos).equals(")")) {
                    throw new ExpressionException(src, pos, "missing ')'");
                }
                pos++;
                return v;
            }
            if (pos >= t.size() || "&&||)==!=".contains(t.get(pos))) {
                throw new ExpressionException(src, pos, "expected a name");
            }
            String a = t.get(pos++);
            if (pos < t.size() && (t.get(pos).equals("==") || t.get(pos).equals("!="))) {
                String op = t.get(pos++);
                if (pos >= t.size()) {
                    throw new ExpressionException(src, pos, "expected a value");
                }
                String b = t.get(pos++);
                return op.equals("==") == a.equals(b);
            }
            if (a.equals("true") || a.equals("false")) {
                return Boolean.parseBoolean(a);
            }
            return word.apply(a);
        }
    }
}
