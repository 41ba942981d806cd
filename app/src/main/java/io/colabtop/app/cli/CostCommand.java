package io.colabtop.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.ColabUnitsFile;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.gce.GcloudConfig;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.ColabUnits;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.GceNames;
import io.colabtop.core.cost.PriceCatalog;
import io.colabtop.core.cost.VmCost;
import io.colabtop.core.cost.VmShape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code colabtop cost}: what a VM shape costs per hour and per month (730 h), without any VM. */
@Command(
        name = "cost",
        mixinStandardHelpOptions = true,
        description = {
            "Price a VM shape at list price, item by item: machine + GPUs + disks (+ external IP), per hour, "
                    + "per month (730 h, with the sustained-use discount Google applies by itself), and stopped.",
            "Example: colabtop cost --machine-type n1-highmem-2 --gpu t4 --disk pd-balanced:100 --zone us-west1-b --vs-colab"
        })
public class CostCommand implements Callable<Integer> {
    static final Map<String, String> GPU_ALIASES = Map.ofEntries(
            Map.entry("t4", "nvidia-tesla-t4"),
            Map.entry("p4", "nvidia-tesla-p4"),
            Map.entry("p100", "nvidia-tesla-p100"),
            Map.entry("v100", "nvidia-tesla-v100"),
            Map.entry("k80", "nvidia-tesla-k80"),
            Map.entry("a100", "nvidia-tesla-a100"),
            Map.entry("a100-40gb", "nvidia-tesla-a100"),
            Map.entry("a100-80gb", "nvidia-a100-80gb"),
            Map.entry("l4", "nvidia-l4"),
            Map.entry("h100", "nvidia-h100-80gb"));

    static final String DEFAULT_ZONE = "us-central1-a";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--machine-type",
            required = true,
            paramLabel = "TYPE",
            description = "e.g. n1-highmem-2, n2-custom-8-32768, c3-standard-8-lssd, a2-highgpu-1g, g2-standard-4")
    String machineType;

    @Option(
            names = "--gpu",
            paramLabel = "TYPE[:N]",
            description = "attached GPUs (repeatable): t4, p4, p100, v100 or a full type (nvidia-tesla-t4)")
    List<String> gpus = new ArrayList<>();

    @Option(
            names = "--disk",
            paramLabel = "TYPE:GB",
            description = "disk (repeatable): pd-standard, pd-balanced, pd-ssd, pd-extreme, hyperdisk-extreme, "
                    + "regional-pd-balanced (a regional disk), local-ssd:375")
    List<String> disks = new ArrayList<>();

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            description = "zone or region (default: gcloud's compute/zone, else " + DEFAULT_ZONE + ")")
    String zone;

    @Option(names = "--spot", description = "Spot (preemptible) prices")
    boolean spot;

    @Option(names = "--external-ip", description = "with an external IPv4 address")
    boolean externalIp;

    @Option(
            names = "--vs-colab",
            description = "compare with the Colab runtime that has the same GPU (compute units per hour)")
    boolean vsColab;

    @Option(
            names = "--colab-units",
            paramLabel = "FILE",
            description = "Colab compute units data instead of the shipped one (see config/colab-units.json)")
    Path colabUnits;

    @picocli.CommandLine.Mixin
    CurrencyOptions currency = new CurrencyOptions();

    @Option(names = "--prices", paramLabel = "FILE", description = "price catalog to use instead of the default")
    Path prices;

    @picocli.CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Fx fx = currency.fx();
        String zoneFrom = null;
        if (zone == null) {
            GcloudConfig.Value z = GcloudConfig.fromEnvironment().zone();
            if (z != null && (GceNames.matches(GceNames.ZONE, z.value()))) {
                zone = z.value();
                zoneFrom = z.from();
            } else {
                zone = DEFAULT_ZONE;
                zoneFrom = "default";
            }
        }
        if (!GceNames.matches(GceNames.ZONE, zone) && !zone.matches("[a-z]+-[a-z]+[0-9]+")) {
            throw new UsageError("--zone '" + SafeText.clip(zone, 40) + "' is not a GCE zone or region");
        }
        CostModel model = new CostModel(PriceCatalogFile.load(prices));
        VmShape shape;
        try {
            shape = new VmShape(
                    machineType,
                    parseGpus(gpus),
                    parseDisks(disks),
                    zone,
                    spot,
                    externalIp ? VmShape.ExternalIp.IN_USE : VmShape.ExternalIp.NONE,
                    List.of());
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        CostModel.Cost c = model.hourly(shape);
        if (!c.complete()) {
            throw new UsageError("cannot price " + SafeText.clip(machineType, 70) + " in " + c.region() + ": "
                    + String.join("; ", c.missing()));
        }
        ColabUnits units = vsColab ? ColabUnitsFile.load(colabUnits, AppPaths.fromEnvironment()) : null;
        ColabUnits.Comparison colab = units == null ? null : units.forShape(shape, model.catalog());
        PriceCatalog.Info info = model.catalog().info();
        PrintWriter out = spec.commandLine().getOut();
        if (output.format() == OutputOptions.Format.CSV) {
            // one row per item, then the total: what a spreadsheet sums
            List<List<Object>> rows = new java.util.ArrayList<>();
            for (CostModel.Item i : c.items()) {
                rows.add(java.util.Arrays.asList(
                        i.kind().name().toLowerCase(Locale.ROOT),
                        i.what(),
                        fx.amount(i.perHour()),
                        i.billsWhenStopped(),
                        fx.currency()));
            }
            rows.add(java.util.Arrays.asList("total", machineType, fx.amount(c.total()), false, fx.currency()));
            out.print(io.colabtop.app.output.Csv.write(
                    List.of("kind", "what", "perHour", "billsWhenStopped", "currency"), rows));
        } else if (output.format() == OutputOptions.Format.JSON) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode n = om.createObjectNode();
            n.put("machineType", machineType)
                    .put("zone", zone)
                    .put("region", c.region())
                    .put("spot", spot)
                    .put("currency", fx.currency());
            ArrayNode items = n.putArray("items");
            for (CostModel.Item i : c.items()) {
                items.addObject()
                        .put("kind", i.kind().name().toLowerCase(Locale.ROOT))
                        .put("what", i.what())
                        .put("perHour", fx.amount(i.perHour()))
                        .put("billsWhenStopped", i.billsWhenStopped());
            }
            n.put("machinePerHour", fx.amount(c.machine()))
                    .put("gpusPerHour", fx.amount(c.gpus()))
                    .put("disksPerHour", fx.amount(c.disks()))
                    .put("networkPerHour", fx.amount(c.network()))
                    .put("totalPerHour", fx.amount(c.total()))
                    .put("perMonth", fx.amount(c.perMonth()))
                    .put("perMonthAtListPrice", fx.amount(c.total().times(CostModel.HOURS_PER_MONTH)))
                    .put("sustainedUseDiscount", c.sustainedUseNote() != null)
                    .put("stoppedPerHour", fx.amount(c.stopped().total()))
                    .put("complete", c.complete());
            ObjectNode cat = n.putObject("prices");
            cat.put("kind", info.kind())
                    .put("date", info.date())
                    .put("label", info.label())
                    .put("source", info.source())
                    .put("origin", info.origin());
            n.put("priceSource", info.source()).put("priceDate", info.date());
            if (vsColab) {
                ObjectNode cn = n.putObject("colab");
                cn.put("unitsDate", units.date()).put("usdPer100Units", units.usdPer100Units());
                if (colab != null) {
                    cn.put("runtime", colab.runtime())
                            .put("unitsPerHour", colab.unitsPerHour())
                            .put("perHour", fx.amount(colab.perHour()));
                } else {
                    cn.putNull("runtime");
                }
                ArrayNode cv = cn.putArray("caveats");
                units.caveats().forEach(cv::add);
            }
            out.println(io.colabtop.app.output.SafeJson.PRETTY.writeValueAsString(n));
        } else {
            out.printf(
                    Locale.ROOT,
                    "%s in %s%s, %s%s:%n",
                    machineType,
                    c.region(),
                    spot ? ", spot" : "",
                    fx.currency(),
                    zoneFrom == null ? "" : " (zone " + zone + " from " + zoneFrom + ")");
            int w = c.items().stream().mapToInt(i -> i.what().length()).max().orElse(10);
            for (CostModel.Item i : c.items()) {
                out.printf(Locale.ROOT, "  %-" + w + "s  %s/h%n", i.what(), fx.format(i.perHour()));
            }
            out.printf(Locale.ROOT, "  %-" + w + "s  %s/h at list price%n", "total", fx.format(c.total()));
            if (output.quiet) {
                out.flush();
                return ExitCodes.OK; // the items and the total only
            }
            String sud = c.sustainedUseNote();
            out.printf(
                    Locale.ROOT,
                    "  per month (730 h): %s%s%n",
                    fx.format(c.perMonth()),
                    sud == null ? " (no sustained-use discount for this shape)" : ", " + sud);
            out.printf(
                    Locale.ROOT,
                    "  stopped: %s%n",
                    c.stopped().items().isEmpty()
                            ? "nothing (no disks given)"
                            : fx.format(c.stopped().total()) + "/h (disks keep billing)");
            out.println(
                    "  prices: " + info.label() + (info.origin().equals("built in") ? "" : " (" + info.origin() + ")")
                            + "; no committed-use discounts");
            if (vsColab) {
                out.println(colabLine(fx, units, colab, shape, c));
                units.caveats().forEach(cv -> out.println("  - " + cv));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** "n1-highmem-2 + T4: $0.4683/h on GCE; Colab T4 runtime: 1.19 CU/h ~ $0.1189/h (units of 2026-03, $9.99 per 100)". */
    static String colabLine(Fx fx, ColabUnits units, ColabUnits.Comparison colab, VmShape shape, CostModel.Cost c) {
        StringBuilder label = new StringBuilder(shape.machineType());
        shape.gpus()
                .forEach(g -> label.append(" + ")
                        .append(g.count() > 1 ? g.count() + "x " : "")
                        .append(VmCost.shortGpu(g.type())));
        String gce = label + ": " + fx.format(c.total()) + "/h on GCE";
        if (colab == null) {
            boolean gpu = !shape.gpus().isEmpty() || bundledGpu(shape);
            String runtimes =
                    String.join(", ", new java.util.TreeSet<>(units.runtimes().keySet()));
            return gce + "; Colab: "
                    + (gpu ? "no runtime with this GPU in the units file" : "this shape has no GPU to compare")
                    + " (runtimes: " + runtimes + "; units of " + units.date() + ")";
        }
        return String.format(
                Locale.ROOT,
                "%s; Colab %s runtime: %.2f CU/h ~ %s/h (units of %s, %s per 100 units)",
                gce,
                colab.runtime(),
                colab.unitsPerHour(),
                fx.format(colab.perHour()),
                units.date(),
                fx.format(io.colabtop.core.cost.Money.usd(units.usdPer100Units())));
    }

    /** Whether the machine type comes with a GPU of its own (A2, A3, G2, G4). */
    static boolean bundledGpu(VmShape shape) {
        try {
            return io.colabtop.core.cost.MachineShape.resolve(
                                    shape.machineType(),
                                    PriceCatalogFile.shipped().shapes())
                            .bundledGpu()
                    != null;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    static List<VmShape.GpuCount> parseGpus(List<String> specs) {
        List<VmShape.GpuCount> out = new ArrayList<>();
        for (String s : specs) {
            String[] p = s.split(":");
            String type = GPU_ALIASES.getOrDefault(p[0].toLowerCase(Locale.ROOT), p[0]);
            int n = 1;
            if (p.length == 2) {
                try {
                    n = Integer.parseInt(p[1]);
                } catch (NumberFormatException e) {
                    n = 0;
                }
            }
            if (p.length > 2 || n < 1 || n > 16 || !GceNames.matches(GceNames.TYPE, type)) {
                throw new IllegalArgumentException(
                        "--gpu " + SafeText.clip(s, 40) + ": expected TYPE or TYPE:N with N from 1 to 16");
            }
            out.add(new VmShape.GpuCount(type, n));
        }
        return out;
    }

    static List<VmShape.Disk> parseDisks(List<String> specs) {
        List<VmShape.Disk> out = new ArrayList<>();
        for (String s : specs) {
            String[] p = s.split(":");
            long gb = -1;
            if (p.length == 2) {
                try {
                    gb = Long.parseLong(p[1]);
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            if (gb < 1 || gb > 65536 || !GceNames.matches(GceNames.TYPE, p[0])) {
                throw new IllegalArgumentException(
                        "--disk " + SafeText.clip(s, 40) + ": expected TYPE:GB, e.g. pd-balanced:200");
            }
            out.add(new VmShape.Disk(p[0], gb));
        }
        return out;
    }
}
