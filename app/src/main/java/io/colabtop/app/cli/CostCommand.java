package io.colabtop.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.PriceCatalog;
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
            "Price a VM shape at list price: machine + GPUs + disks, per hour and per month (730 h).",
            "Example: colabtop cost --machine-type n1-standard-8 --gpu v100 --disk pd-balanced:200 --zone us-central1-a"
        })
public class CostCommand implements Callable<Integer> {
    static final Map<String, String> GPU_ALIASES = Map.of(
            "t4",
            "nvidia-tesla-t4",
            "p4",
            "nvidia-tesla-p4",
            "p100",
            "nvidia-tesla-p100",
            "v100",
            "nvidia-tesla-v100",
            "a100",
            "nvidia-tesla-a100",
            "a100-40gb",
            "nvidia-tesla-a100",
            "a100-80gb",
            "nvidia-a100-80gb",
            "l4",
            "nvidia-l4");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--machine-type",
            required = true,
            paramLabel = "TYPE",
            description = "e.g. n1-standard-8, n2-custom-8-32768, a2-highgpu-1g")
    String machineType;

    @Option(
            names = "--gpu",
            paramLabel = "TYPE[:N]",
            description = "attached GPUs (repeatable): t4, p4, p100, v100, a100, a100-80gb, l4")
    List<String> gpus = new ArrayList<>();

    @Option(
            names = "--disk",
            paramLabel = "TYPE:GB",
            description = "persistent disk (repeatable): pd-standard, pd-balanced, pd-ssd")
    List<String> disks = new ArrayList<>();

    @Option(
            names = "--zone",
            defaultValue = "us-central1-a",
            description = "zone or region (default: ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--spot", description = "Spot (preemptible) prices")
    boolean spot;

    @picocli.CommandLine.Mixin
    CurrencyOptions currency = new CurrencyOptions();

    @Option(names = "--prices", paramLabel = "FILE", description = "price catalog to use instead of the shipped one")
    Path prices;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try {
            CostModel model = new CostModel(PriceCatalogFile.load(prices));
            VmShape shape = new VmShape(machineType, parseGpus(gpus), parseDisks(disks), zone, spot);
            CostModel.Cost c = model.hourly(shape);
            Fx fx = currency.fx();
            String cur = fx.currency();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode n = new ObjectMapper().createObjectNode();
                n.put("machineType", machineType)
                        .put("region", PriceCatalog.regionOf(zone))
                        .put("spot", spot)
                        .put("currency", cur)
                        .put("machinePerHour", fx.amount(c.machine()))
                        .put("gpusPerHour", fx.amount(c.gpus()))
                        .put("disksPerHour", fx.amount(c.disks()))
                        .put("totalPerHour", fx.amount(c.total()))
                        .put("perMonth", fx.amount(c.perMonth()))
                        .put("stoppedPerHour", fx.amount(c.stopped().total()))
                        .put("priceSource", model.catalog().source())
                        .put("priceDate", model.catalog().date());
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(n));
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s in %s%s (%s):%n",
                        machineType,
                        PriceCatalog.regionOf(zone),
                        spot ? ", spot" : "",
                        cur);
                out.printf("  machine  %s/h%n", fx.format(c.machine()));
                out.printf("  GPUs     %s/h%n", fx.format(c.gpus()));
                out.printf("  disks    %s/h%n", fx.format(c.disks()));
                out.printf(
                        "  total    %s/h, %s/month (730 h); stopped: %s/h (disks keep billing)%n",
                        fx.format(c.total()),
                        fx.format(c.perMonth()),
                        fx.format(c.stopped().total()));
                out.println("  list prices of " + model.catalog().date() + "; no sustained/committed use discounts");
            }
            out.flush();
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
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
            if (p.length > 2 || n < 1 || n > 16) {
                throw new IllegalArgumentException("--gpu " + s + ": expected TYPE or TYPE:N with N from 1 to 16");
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
            if (gb < 1 || gb > 65536) {
                throw new IllegalArgumentException("--disk " + s + ": expected TYPE:GB, e.g. pd-balanced:200");
            }
            out.add(new VmShape.Disk(p[0], gb));
        }
        return out;
    }
}
