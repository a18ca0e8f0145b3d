package dev.weft.engine.expr;

import dev.weft.engine.expr.ExprNode.ArrayLiteral;
import dev.weft.engine.expr.ExprNode.Binary;
import dev.weft.engine.expr.ExprNode.Call;
import dev.weft.engine.expr.ExprNode.Closure;
import dev.weft.engine.expr.ExprNode.Conditional;
import dev.weft.engine.expr.ExprNode.Ident;
import dev.weft.engine.expr.ExprNode.Literal;
import dev.weft.engine.expr.ExprNode.MapLiteral;
import dev.weft.engine.expr.ExprNode.Member;
import dev.weft.engine.expr.ExprNode.Pointer;
import dev.weft.engine.expr.ExprNode.Slice;
import dev.weft.engine.expr.ExprNode.Unary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates an {@link ExprNode} tree. One instance serves one evaluation (it holds the source text and the
 * resolver), so evaluations on different threads never share state.
 *
 * <p>Variable paths such as {@code inputs.parameters['week-temps']} are resolved lazily: a name the resolver does not
 * know evaluates to an {@link Unresolved} path that member access extends and re-tries, so the resolver can answer
 * for whole dotted names ({@code inputs.parameters.week-temps}) or for a prefix whose value is a map. Only when an
 * unresolved path is used as a value does evaluation fail, naming the whole path.
 */
final class ExprEvaluator {

    /** A variable path that the resolver does not (yet) know. */
    private record Unresolved(String path, int pos) {
    }

    /** The closure scope: {@code #} and {@code #index}. */
    private record Scope(Object element, long index, Scope parent) {
        static final Scope ROOT = new Scope(null, -1, null);

        boolean isRoot() {
            return parent == null;
        }
    }

    private final String src;
    private final VariableResolver vars;

    ExprEvaluator(String src, VariableResolver vars) {
        this.src = src;
        this.vars = vars;
    }

    /** Evaluates the tree parsed from this evaluator's source. */
    Object evaluate(ExprNode node) {
        return value(node, Scope.ROOT);
    }

    private ExpressionException error(ExprNode at, String problem) {
        return new ExpressionException(src, at.pos(), problem);
    }

    private Object value(ExprNode node, Scope scope) {
        Object v = raw(node, scope);
        if (v instanceof Unresolved u) {
            throw new UnknownVariableException(src, u.pos(), u.path());
        }
        return v;
    }

    private Object raw(ExprNode node, Scope scope) {
        if (node instanceof Literal literal) {
            return literal.value();
        }
        if (node instanceof Ident ident) {
            Optional<Object> found = vars.resolve(ident.name());
            return found.isPresent() ? JsonValues.normalize(found.get()) : new Unresolved(ident.name(), ident.pos());
        }
        if (node instanceof Pointer pointer) {
            return pointer(pointer, scope);
        }
        if (node instanceof Member member) {
            return member(member, scope);
        }
        if (node instanceof Slice slice) {
            return slice(slice, scope);
        }
        if (node instanceof Call call) {
            return call(call, scope);
        }
        if (node instanceof Closure closure) {
            throw error(closure, "a predicate is only allowed as an argument of map, filter and the like");
        }
        if (node instanceof Unary unary) {
            return unary(unary, scope);
        }
        if (node instanceof Binary binary) {
            return binary(binary, scope);
        }
        if (node instanceof Conditional conditional) {
            Object cond = value(conditional.cond(), scope);
            if (!(cond instanceof Boolean b)) {
                throw error(conditional, "the condition of '?:' must be a bool, not " + JsonValues.typeName(cond));
            }
            return value(b ? conditional.then() : conditional.otherwise(), scope);
        }
        if (node instanceof ArrayLiteral array) {
            List<Object> items = new ArrayList<>();
            for (ExprNode item : array.items()) {
                items.add(value(item, scope));
            }
            return items;
        }
        MapLiteral map = (MapLiteral) node;
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < map.keys().size(); i++) {
            Object key = value(map.keys().get(i), scope);
            result.put(key instanceof String s ? s : ValueText.render(key), value(map.values().get(i), scope));
        }
        return result;
    }

    private Object pointer(Pointer pointer, Scope scope) {
        if (scope.isRoot()) {
            throw error(pointer, "'#" + pointer.name() + "' is only defined inside a predicate of map, filter, ...");
        }
        return switch (pointer.name()) {
            case "" -> scope.element();
            case "index" -> scope.index();
            default -> throw error(pointer, "unknown pointer '#" + pointer.name() + "'");
        };
    }

    private Object member(Member member, Scope scope) {
        Object object = raw(member.object(), scope);
        Object key = value(member.key(), scope);
        if (object instanceof Unresolved u) {
            if (!(key instanceof String) && !(key instanceof Long)) {
                throw new UnknownVariableException(src, u.pos(), u.path());
            }
            String path = u.path() + "." + ValueText.render(key);
            Optional<Object> found = vars.resolve(path);
            return found.isPresent() ? JsonValues.normalize(found.get()) : new Unresolved(path, u.pos());
        }
        if (object == null) {
            if (member.optional()) {
                return null;
            }
            throw error(member, "cannot fetch " + describeKey(key) + " from nil");
        }
        return fetch(object, key, member);
    }

    private static String describeKey(Object key) {
        return key instanceof String s ? "'" + s + "'" : ValueText.render(key);
    }

    private Object fetch(Object object, Object key, ExprNode at) {
        Object container = object;
        if (object instanceof String text) {
            // Argo parameters are strings; JSON text is walked into so item.field works on a JSON item
            Optional<Object> parsed = JsonValues.parseContainer(text);
            if (parsed.isPresent()) {
                container = parsed.get();
            }
        }
        if (container instanceof Map<?, ?> map) {
            if (!(key instanceof String)) {
                throw error(at, "a map key must be a string, not " + JsonValues.typeName(key));
            }
            return map.get(key);
        }
        if (container instanceof List<?> list) {
            int i = index(key, list.size(), at);
            return list.get(i);
        }
        if (container instanceof String s && key instanceof Long) {
            int i = index(key, s.length(), at);
            return String.valueOf(s.charAt(i));
        }
        throw error(at, "cannot fetch " + describeKey(key) + " from " + JsonValues.typeName(object));
    }

    private int index(Object key, int size, ExprNode at) {
        if (!(key instanceof Long l)) {
            throw error(at, "an index must be an int, not " + JsonValues.typeName(key));
        }
        long i = l < 0 ? l + size : l;
        if (i < 0 || i >= size) {
            throw error(at, "index out of range: " + l + " (length " + size + ")");
        }
        return (int) i;
    }

    private Object slice(Slice slice, Scope scope) {
        Object object = value(slice.object(), scope);
        int size;
        if (object instanceof List<?> list) {
            size = list.size();
        } else if (object instanceof String s) {
            size = s.length();
        } else {
            throw error(slice, "cannot slice " + JsonValues.typeName(object));
        }
        int from = bound(slice.from(), 0, size, scope);
        int to = bound(slice.to(), size, size, scope);
        if (to < from) {
            to = from;
        }
        return object instanceof List<?> list ? new ArrayList<Object>(list.subList(from, to))
                : ((String) object).substring(from, to);
    }

    private int bound(ExprNode node, int absent, int size, Scope scope) {
        if (node == null) {
            return absent;
        }
        Object v = value(node, scope);
        if (!(v instanceof Long l)) {
            throw error(node, "a slice bound must be an int, not " + JsonValues.typeName(v));
        }
        long i = l < 0 ? l + size : l;
        return (int) Math.max(0, Math.min(size, i));
    }

    private Object call(Call call, Scope scope) {
        if (ExprParser.CLOSURE_FUNCTIONS.contains(call.name())) {
            return closureCall(call, scope);
        }
        List<Object> args = new ArrayList<>(call.args().size());
        for (ExprNode arg : call.args()) {
            args.add(value(arg, scope));
        }
        FunctionCall invocation = new FunctionCall(call.name(), args, src, call.pos());
        if (call.name().startsWith("sprig.")) {
            return SprigFunctions.call(invocation);
        }
        return ExprFunctions.call(invocation);
    }

    private Object closureCall(Call call, Scope scope) {
        String name = call.name();
        boolean optionalPredicate = name.equals("sum");
        if (call.args().size() != 2 && !(optionalPredicate && call.args().size() == 1)) {
            throw error(call, name + " needs 2 arguments, got " + call.args().size());
        }
        Object subject = value(call.args().get(0), scope);
        if (subject instanceof String text) {
            subject = JsonValues.parseContainer(text).orElse(subject);
        }
        if (!(subject instanceof List<?> items)) {
            throw error(call, name + " needs an array, not " + JsonValues.typeName(subject));
        }
        ExprNode body = call.args().size() == 2 ? ((Closure) call.args().get(1)).body() : null;
        List<Object> mapped = new ArrayList<>();
        List<Object> kept = new ArrayList<>();
        long matches = 0;
        int firstMatch = -1;
        int lastMatch = -1;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Object result = body == null ? item : value(body, new Scope(item, i, scope));
            if (name.equals("map") || name.equals("sum")) {
                mapped.add(result);
                continue;
            }
            if (!(result instanceof Boolean b)) {
                throw error(call, "the predicate of " + name + " must give a bool, not "
                        + JsonValues.typeName(result));
            }
            if (b) {
                matches++;
                kept.add(item);
                lastMatch = i;
                if (firstMatch < 0) {
                    firstMatch = i;
                    if (name.equals("find") || name.equals("findIndex") || name.equals("any")) {
                        break;
                    }
                }
            } else if (name.equals("all")) {
                return false;
            }
        }
        return switch (name) {
            case "map" -> mapped;
            case "filter" -> kept;
            case "all" -> true;
            case "any" -> matches > 0;
            case "none" -> matches == 0;
            case "one" -> matches == 1;
            case "count" -> matches;
            case "find" -> firstMatch < 0 ? null : items.get(firstMatch);
            case "findIndex" -> (long) firstMatch;
            case "findLast" -> lastMatch < 0 ? null : items.get(lastMatch);
            default -> sum(mapped, call);
        };
    }

    private Object sum(List<Object> values, ExprNode at) {
        Object total = 0L;
        for (Object v : values) {
            total = Arithmetic.apply("+", total, v, this::arithmeticError, at);
        }
        return total;
    }

    private ExpressionException arithmeticError(ExprNode at, String problem) {
        return error(at, problem);
    }

    private Object unary(Unary unary, Scope scope) {
        Object operand = value(unary.operand(), scope);
        switch (unary.op()) {
            case "!" -> {
                if (!(operand instanceof Boolean b)) {
                    throw error(unary, "'!' needs a bool, not " + JsonValues.typeName(operand));
                }
                return !b;
            }
            case "-" -> {
                if (operand instanceof Long l) {
                    return -l;
                }
                if (operand instanceof Double d) {
                    return -d;
                }
                throw error(unary, "'-' needs a number, not " + JsonValues.typeName(operand));
            }
            default -> {
                if (!JsonValues.isNumber(operand)) {
                    throw error(unary, "'+' needs a number, not " + JsonValues.typeName(operand));
                }
                return operand;
            }
        }
    }

    /**
     * Evaluates a chain of left-associative operators ({@code a + b + c ...} parses as a left-leaning tree)
     * iteratively, so that long flat chains do not recurse once per operator.
     */
    private Object binary(Binary binary, Scope scope) {
        ArrayDeque<Binary> spine = new ArrayDeque<>();
        ExprNode node = binary;
        while (node instanceof Binary b && !b.op().equals("??")) {
            spine.push(b);
            node = b.left();
        }
        if (spine.isEmpty()) {
            return coalesce((Binary) node, scope);
        }
        Object acc = value(node, scope);
        while (!spine.isEmpty()) {
            acc = combine(spine.pop(), acc, scope);
        }
        return acc;
    }

    private Object coalesce(Binary binary, Scope scope) {
        Object left = raw(binary.left(), scope);
        if (left == null || left instanceof Unresolved) {
            return value(binary.right(), scope);
        }
        return left;
    }

    /** Applies one operator to the already evaluated left operand, evaluating the right one only if needed. */
    private Object combine(Binary binary, Object left, Scope scope) {
        String op = binary.op();
        if (op.equals("||") || op.equals("or") || op.equals("&&") || op.equals("and")) {
            boolean isOr = op.equals("||") || op.equals("or");
            boolean l = bool(binary, left);
            if (l == isOr) {
                return l;
            }
            return bool(binary, value(binary.right(), scope));
        }
        Object right = value(binary.right(), scope);
        switch (op) {
            case "==" -> {
                return JsonValues.equal(left, right);
            }
            case "!=" -> {
                return !JsonValues.equal(left, right);
            }
            case "<", ">", "<=", ">=" -> {
                int c = Arithmetic.compare(left, right, op, this::arithmeticError, binary);
                return switch (op) {
                    case "<" -> c < 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c >= 0;
                };
            }
            case "in" -> {
                return in(binary, left, right);
            }
            case "matches" -> {
                String text = string(binary, left, op);
                try {
                    return Pattern.compile(string(binary, right, op)).matcher(text).find();
                } catch (PatternSyntaxException e) {
                    throw error(binary, "invalid regular expression '" + right + "': " + e.getDescription());
                }
            }
            case "contains" -> {
                return string(binary, left, op).contains(string(binary, right, op));
            }
            case "startsWith" -> {
                return string(binary, left, op).startsWith(string(binary, right, op));
            }
            case "endsWith" -> {
                return string(binary, left, op).endsWith(string(binary, right, op));
            }
            case ".." -> {
                if (!(left instanceof Long from) || !(right instanceof Long to)) {
                    throw error(binary, "'..' needs ints, not " + JsonValues.typeName(left) + " and "
                            + JsonValues.typeName(right));
                }
                if (to - from > 1_000_000) {
                    throw error(binary, "range " + from + ".." + to + " is too large");
                }
                List<Object> range = new ArrayList<>();
                for (long i = from; i <= to; i++) {
                    range.add(i);
                }
                return range;
            }
            default -> {
                return Arithmetic.apply(op, left, right, this::arithmeticError, binary);
            }
        }
    }

    private boolean in(Binary binary, Object left, Object right) {
        Object container = right;
        if (right instanceof String text) {
            container = JsonValues.parseContainer(text).orElse(right);
        }
        if (container instanceof List<?> list) {
            for (Object item : list) {
                if (JsonValues.equal(left, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map) {
            return left instanceof String && map.containsKey(left);
        }
        if (container == null) {
            return false;
        }
        throw error(binary, "'in' needs an array or a map on the right, not " + JsonValues.typeName(right));
    }

    private boolean bool(ExprNode at, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw error(at, "a logical operator needs bools, not " + JsonValues.typeName(value));
    }

    private String string(ExprNode at, Object value, String op) {
        if (value instanceof String s) {
            return s;
        }
        throw error(at, "'" + op + "' needs strings, not " + JsonValues.typeName(value));
    }
}
