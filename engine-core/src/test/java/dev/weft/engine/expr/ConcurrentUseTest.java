package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentUseTest {

    private final Expressions expressions = new DefaultExpressions();

    @Test
    void oneInstanceGivesTheSameResultsOnManyThreadsAtOnce() throws Exception {
        List<Runnable> checks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            Vars vars = Vars.of("n", Integer.toString(n), "item", "{\"k\": " + n + "}",
                    "json", "{\"v\": [" + n + ", " + (n + 1) + "]}");
            checks.add(() -> {
                assertThat(expressions.substitute("{{n}}-{{item.k}}-{{=asInt(n) * 2}}", vars))
                        .isEqualTo(n + "-" + n + "-" + (2 * n));
                assertThat(expressions.evaluateWhen("{{n}} < 200 || {{n}} >= 200", vars)).isTrue();
                assertThat(expressions.evaluate("jsonpath(json, '$.v[1]')", vars)).isEqualTo((long) n + 1);
                assertThat(expressions.parseDepends("t" + n + " && !u").tasks()).containsExactly("t" + n, "u");
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable check : checks) {
                futures.add(pool.submit(check));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
