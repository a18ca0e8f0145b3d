/**
 * Argo's expression languages: {@code {{...}}} variable substitution and the {@code {{= ...}}} expr-lang form,
 * {@code when} conditions (govaluate) and {@code depends} expressions.
 *
 * <p>The public contract is {@link dev.weft.engine.expr.Expressions} with its implementation
 * {@link dev.weft.engine.expr.DefaultExpressions}; the values the engine supplies come through
 * {@link dev.weft.engine.expr.VariableResolver} and {@link dev.weft.engine.expr.TaskOutcome}. Everything else in the
 * package is an implementation detail: a template scanner, one lexer/parser/evaluator per language, the function
 * libraries ({@code ExprFunctions}, {@code SprigFunctions}) and the JSON-like value model ({@code JsonValues},
 * {@code ValueText}) they share.
 */
package dev.weft.engine.expr;
