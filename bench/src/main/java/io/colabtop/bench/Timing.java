package io.colabtop.bench;

import java.util.Arrays;
import java.util.Locale;

/** Runs a piece of work many times and prints median, p90 and max: figures, not verdicts. */
final class Timing {
    interface Work {
        void run() throws Exception;
    }

    private Timing() {}

    static double[] measure(String label, int warmup, int runs, Work w) throws Exception {
        for (int i = 0; i < warmup; i++) {
            w.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            w.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
                Locale.ROOT,
                "%-46s median %8.3f ms   p90 %8.3f ms   max %8.3f ms   (n=%d)%n",
                label,
                ms[runs / 2],
                ms[(int) (runs * 0.9)],
                ms[runs - 1],
                runs);
        return ms;
    }
}
