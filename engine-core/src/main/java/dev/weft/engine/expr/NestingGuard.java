package dev.weft.engine.expr;

/**
 * Bounds how deeply a recursive-descent parser may nest, so that a pathological input such as ten thousand
 * opening parentheses is a precise {@link ExpressionException} rather than a {@link StackOverflowError}.
 */
final class NestingGuard {

    /** Far deeper than any hand-written expression, far shallower than the default thread stack allows. */
    static final int MAX_DEPTH = 256;

    private final String src;
    private int depth;

    NestingGuard(String src) {
        this.src = src;
    }

    void enter(int pos) {
        if (++depth > MAX_DEPTH) {
            throw new ExpressionException(src, pos, "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    void leave() {
        depth--;
    }
}
