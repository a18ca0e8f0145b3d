package dev.weft.benchmarks.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A task graph to schedule: node {@code i}'s dependencies are {@code deps[i]}, all of them smaller than {@code i}
 * (so index order is a topological order). Every scheduler under test gets the same graph.
 *
 * @param name  "wide", "deep" or "random"
 * @param label how the table names it
 * @param deps  for each node, the nodes it waits for
 */
record DagShape(String name, String label, int[][] deps) {

    /** How many tasks the graph has. */
    int size() {
        return deps.length;
    }

    /** How many edges it has. */
    long edges() {
        long n = 0;
        for (int[] d : deps) {
            n += d.length;
        }
        return n;
    }

    /** 1 -> n -> 1: a root, {@code n} tasks that need only the root, and a sink that needs all of them. */
    static DagShape wide(int n) {
        int[][] deps = new int[n + 2][];
        deps[0] = new int[0];
        for (int i = 1; i <= n; i++) {
            deps[i] = new int[] {0};
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i + 1;
        }
        deps[n + 1] = all;
        return new DagShape("wide", "wide (1 → " + String.format("%,d", n) + " → 1)", deps);
    }

    /** A chain of {@code n} tasks, each needing the one before. */
    static DagShape deep(int n) {
        int[][] deps = new int[n][];
        deps[0] = new int[0];
        for (int i = 1; i < n; i++) {
            deps[i] = new int[] {i - 1};
        }
        return new DagShape("deep", "deep (chain of " + String.format("%,d", n) + ")", deps);
    }

    /** {@code n} nodes, each but the first needing 1 to 5 (about 3) distinct earlier nodes, from a fixed seed. */
    static DagShape random(int n, long seed) {
        Random random = new Random(seed);
        int[][] deps = new int[n][];
        deps[0] = new int[0];
        for (int i = 1; i < n; i++) {
            int want = Math.min(i, 1 + random.nextInt(5));
            List<Integer> chosen = new ArrayList<>();
            while (chosen.size() < want) {
                int d = random.nextInt(i);
                if (!chosen.contains(d)) {
                    chosen.add(d);
                }
            }
            deps[i] = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        return new DagShape("random", "random DAG (" + String.format("%,d", n) + " nodes, ~3 edges each, seed "
                + seed + ")", deps);
    }
}
