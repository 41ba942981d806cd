package io.colabtop.core.cost;

import java.util.List;
import java.util.Map;

/**
 * Colab's side of the comparison: how many compute units an hour of each Colab runtime uses, and
 * what a unit costs. Colab changes these figures without notice (several times since 2022), so
 * they are data with a date (config/colab-units.json, overridable), never constants.
 *
 * @param date          when the figures were observed (YYYY-MM)
 * @param usdPer100Units the price of 100 compute units (Pay As You Go)
 * @param runtimes      runtime name (T4, L4, A100) to its figures
 * @param caveats       what the comparison does not show (session limits, availability, High-RAM)
 */
public record ColabUnits(
        String date, String source, double usdPer100Units, Map<String, Runtime> runtimes, List<String> caveats) {

    /** @param gpu the GCE accelerator type that matches the runtime's GPU */
    public record Runtime(double unitsPerHour, String gpu) {}

    /** A Colab runtime against a VM: the runtime, its units per hour, what they cost per hour, and the caveats. */
    public record Comparison(String runtime, double unitsPerHour, Money perHour, String date, List<String> caveats) {
        public Comparison {
            caveats = List.copyOf(caveats);
        }
    }

    public ColabUnits {
        runtimes = runtimes == null ? Map.of() : Map.copyOf(runtimes);
        caveats = caveats == null ? List.of() : List.copyOf(caveats);
        source = source == null ? "" : io.colabtop.core.SafeText.clip(source, 500);
    }

    /**
     * Checks the figures: a units file is the user's to edit, and a negative or absurd figure
     * would print a comparison with a straight face.
     */
    public ColabUnits validate() {
        if (date == null || !date.matches("\\d{4}-\\d{2}(-\\d{2})?")) {
            throw new IllegalArgumentException("date = " + io.colabtop.core.SafeText.clip(String.valueOf(date), 20)
                    + " is not YYYY-MM or YYYY-MM-DD");
        }
        if (!(usdPer100Units > 0 && usdPer100Units < 10_000)) {
            throw new IllegalArgumentException("usdPer100Units = " + usdPer100Units + " is not a believable price");
        }
        if (runtimes.isEmpty()) {
            throw new IllegalArgumentException("runtimes is empty");
        }
        for (String c : caveats) {
            if (c == null || !io.colabtop.core.SafeText.isSafe(c) || c.length() > 300) {
                throw new IllegalArgumentException("caveats: each is at most 300 plain characters");
            }
        }
        for (Map.Entry<String, Runtime> e : runtimes.entrySet()) {
            String at = "runtimes." + io.colabtop.core.SafeText.clip(e.getKey(), 30);
            if (!io.colabtop.core.SafeText.isSafe(e.getKey()) || e.getKey().length() > 30) {
                throw new IllegalArgumentException(at + ": a runtime name is at most 30 plain characters");
            }
            Runtime r = e.getValue();
            if (r == null || !(r.unitsPerHour() > 0 && r.unitsPerHour() < 1000)) {
                throw new IllegalArgumentException(at + ".unitsPerHour is not a number above 0 (and below 1000)");
            }
            if (r.gpu() != null && !GceNames.matches(GceNames.TYPE, r.gpu())) {
                throw new IllegalArgumentException(at + ".gpu is not a GCE accelerator type name");
            }
        }
        return this;
    }

    /** The runtime with {@code gpu} (a GCE accelerator type), or null when Colab has none in this file. */
    public Comparison forGpu(String gpu) {
        if (gpu == null) {
            return null;
        }
        // nvidia-a100-80gb is still "an A100 runtime" to a user choosing between the two
        for (String g : List.of(gpu, gpu.replace("nvidia-a100-80gb", "nvidia-tesla-a100"))) {
            for (Map.Entry<String, Runtime> e : new java.util.TreeMap<>(runtimes).entrySet()) {
                if (g.equals(e.getValue().gpu())) {
                    Runtime r = e.getValue();
                    return new Comparison(
                            e.getKey(),
                            r.unitsPerHour(),
                            Money.usd(r.unitsPerHour() * usdPer100Units / 100),
                            date,
                            caveats);
                }
            }
        }
        return null;
    }

    /** The runtime that matches the GPU a VM shape has (attached or bundled), or null. */
    public Comparison forShape(VmShape vm, PriceCatalog catalog) {
        if (!vm.gpus().isEmpty()) {
            return forGpu(vm.gpus().get(0).type());
        }
        try {
            return forGpu(
                    MachineShape.resolve(vm.machineType(), catalog.shapes()).bundledGpu());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
