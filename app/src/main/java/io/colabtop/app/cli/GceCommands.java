package io.colabtop.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.gce.ComputeApi;
import io.colabtop.app.gce.GcloudConfig;
import io.colabtop.app.gce.VmPowerPlans;
import io.colabtop.core.HostException;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.FleetTotal;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmCost;
import io.colabtop.core.cost.VmInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Google Compute Engine on the command line: list what runs and what it costs; stop and start. */
public final class GceCommands {
    static final Pattern PROJECT = io.colabtop.core.cost.GceNames.PROJECT;
    static final Pattern ZONE = io.colabtop.core.cost.GceNames.ZONE;
    static final Pattern NAME = io.colabtop.core.cost.GceNames.NAME;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private GceCommands() {}

    static String check(Pattern p, String what, String v) {
        if (v == null || !p.matcher(v).matches()) {
            throw new UsageError(what + " '" + io.colabtop.core.SafeText.clip(String.valueOf(v), 80)
                    + "' is not a valid GCE " + what);
        }
        return v;
    }

    /**
     * {@code given}, else gcloud's value for the property (CLOUDSDK_* variable, then the active
     * configuration), said on {@code err} with where it came from; a usage error when neither has one.
     */
    static String orGcloud(String given, GcloudConfig.Value fromGcloud, String option, String what, PrintWriter err) {
        if (given != null) {
            return given;
        }
        if (fromGcloud == null) {
            throw new UsageError("no " + what + ": give " + option + ", or set one with gcloud config set "
                    + (what.equals("project") ? "project" : "compute/zone") + " (colabtop reads CLOUDSDK_"
                    + (what.equals("project") ? "CORE_PROJECT" : "COMPUTE_ZONE")
                    + " and gcloud's active configuration)");
        }
        err.println("colabtop: " + what + " " + io.colabtop.core.SafeText.clip(fromGcloud.value(), 80) + " (from "
                + fromGcloud.from() + ")");
        return fromGcloud.value();
    }

    /** Cost figures of one VM at list price. */
    record Priced(VmInfo vm, CostModel.Cost cost) {
        VmCost now() {
            return VmCost.of(cost, vm, null);
        }

        Money soFar(Instant now) {
            return CostModel.sinceStart(cost.total(), vm, now);
        }
    }

    static List<Priced> price(List<VmInfo> vms, CostModel model) {
        List<Priced> out = new ArrayList<>();
        for (VmInfo v : vms) {
            out.add(new Priced(v, model.hourly(v.shape())));
        }
        return out;
    }

    /** "$2.87", "≥ $0.0466" when part of it has no price, "?" when none of it has. */
    static String money(Fx fx, VmCost c) {
        return c.unpriced() ? "?" : (c.complete() ? "" : "≥") + fx.format(c.now());
    }

    public static class ProjectOptions {
        @Option(
                names = {"-p", "--project"},
                paramLabel = "PROJECT",
                description =
                        "GCP project id (default: gcloud's: CLOUDSDK_CORE_PROJECT, then the active configuration)")
        String project;

        @Option(names = "--prices", paramLabel = "FILE", description = "price catalog instead of the default")
        Path prices;

        String project(PrintWriter err) {
            return check(
                    PROJECT,
                    "project",
                    orGcloud(project, GcloudConfig.fromEnvironment().project(), "--project", "project", err));
        }
    }

    @Command(
            name = "vms",
            mixinStandardHelpOptions = true,
            description = {
                "List the project's VMs in all zones with status, shape, GPUs, IPs and what each costs per hour.",
                "Stopped VMs still bill for their disks. A total that leaves a VM out says so."
            })
    public static class Vms implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOptions p;

        @Mixin
        CurrencyOptions currency;

        @Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String project = p.project(err);
            Fx fx = currency.fx();
            String cur = fx.currency();
            CostModel model = new CostModel(PriceCatalogFile.load(p.prices));
            ComputeApi.Listing listing;
            try (ComputeApi api = ComputeApi.create(null, CALL_TIMEOUT)) {
                listing = api.list(project);
            } catch (HostException e) {
                err.println("colabtop: " + e.getMessage());
                return ExitCodes.HOST_FAILED;
            }
            if (!output.quiet) {
                listing.warnings().forEach(w -> err.println("colabtop: warning: " + w));
            }
            List<VmInfo> vms = listing.vms();
            Instant now = Instant.now();
            List<Priced> priced = price(vms, model);
            Map<String, VmCost> byName = new LinkedHashMap<>();
            for (Priced x : priced) {
                boolean twin =
                        vms.stream().filter(o -> o.name().equals(x.vm().name())).count() > 1;
                byName.put(x.vm().name() + (twin ? "." + x.vm().zone() : ""), x.now());
            }
            FleetTotal total = FleetTotal.of(byName);
            if (output.format() == OutputOptions.Format.CSV) {
                List<List<Object>> rows = new java.util.ArrayList<>();
                for (Priced x : priced) {
                    VmInfo v = x.vm();
                    rows.add(java.util.Arrays.asList(
                            v.name(),
                            v.zone(),
                            v.status(),
                            v.machineType(),
                            v.spot(),
                            v.gpus().stream()
                                    .map(g -> g.count() + "x" + g.type())
                                    .reduce((a, b) -> a + ";" + b)
                                    .orElse(""),
                            v.internalIp(),
                            v.externalIp(),
                            fx.amount(x.now().now()),
                            x.now().complete(),
                            fx.amount(x.soFar(now)),
                            cur));
                }
                out.print(io.colabtop.app.output.Csv.write(
                        List.of(
                                "name",
                                "zone",
                                "status",
                                "machineType",
                                "spot",
                                "gpus",
                                "internalIp",
                                "externalIp",
                                "costPerHour",
                                "costComplete",
                                "costSinceStart",
                                "currency"),
                        rows));
            } else if (output.format() == OutputOptions.Format.JSON) {
                ObjectNode root = new ObjectMapper().createObjectNode();
                root.put("project", project)
                        .put("currency", cur)
                        .put("totalPerHour", fx.amount(total.perHour()))
                        .put("totalPerMonth", fx.amount(total.perHour().times(CostModel.HOURS_PER_MONTH)))
                        .put("totalComplete", total.complete())
                        .put("unpricedVms", total.unpriced())
                        .put("partlyPricedVms", total.partly());
                ArrayNode why = root.putArray("notPriced");
                total.why().forEach(why::add);
                ArrayNode unreachable = root.putArray("unreachableZones");
                listing.unreachable().forEach(unreachable::add);
                root.putObject("prices")
                        .put("kind", model.catalog().info().kind())
                        .put("date", model.catalog().info().date())
                        .put("label", model.catalog().info().label());
                ArrayNode arr = root.putArray("vms");
                for (Priced x : priced) {
                    VmInfo v = x.vm();
                    VmCost c = x.now();
                    ObjectNode n = arr.addObject();
                    n.put("name", v.name())
                            .put("zone", v.zone())
                            .put("status", v.status())
                            .put("machineType", v.machineType())
                            .put("spot", v.spot())
                            .put("id", Long.toUnsignedString(v.id()))
                            .put("internalIp", v.internalIp())
                            .put("externalIp", v.externalIp())
                            .put(
                                    "lastStartTimestamp",
                                    v.lastStart() == null ? null : v.lastStart().toString());
                    ArrayNode g = n.putArray("gpus");
                    v.gpus().forEach(gc -> g.addObject().put("type", gc.type()).put("count", gc.count()));
                    ArrayNode d = n.putArray("disks");
                    v.disks().forEach(dk -> d.addObject().put("type", dk.type()).put("sizeGb", dk.sizeGb()));
                    n.putPOJO("labels", v.labels());
                    n.put("costPerHour", fx.amount(c.now()))
                            .put("costComplete", c.complete())
                            .put("runningCostPerHour", fx.amount(x.cost().total()))
                            .put("costSinceStart", fx.amount(x.soFar(now)));
                    ArrayNode missing = n.putArray("costMissing");
                    c.missing().forEach(missing::add);
                }
                out.println(io.colabtop.app.output.SafeJson.PRETTY.writeValueAsString(root));
            } else {
                out.printf(
                        "%-20s %-18s %-11s %-16s %-14s %-15s %12s %12s%n",
                        "NAME", "ZONE", "STATUS", "MACHINE", "GPUS", "EXTERNAL IP", cur + "/h", "SINCE START");
                for (Priced x : priced) {
                    VmInfo v = x.vm();
                    String gpus = v.gpus().isEmpty()
                            ? "-"
                            : v.gpus().stream()
                                    .map(g -> g.count() + "x"
                                            + VmCost.shortGpu(g.type()).toLowerCase(Locale.ROOT))
                                    .reduce((a, b) -> a + "," + b)
                                    .orElse("-");
                    out.printf(
                            "%-20s %-18s %-11s %-16s %-14s %-15s %12s %12s%n",
                            v.name(),
                            v.zone(),
                            v.status() + (v.spot() ? "*" : ""),
                            v.machineType(),
                            gpus,
                            v.externalIp() == null ? "-" : v.externalIp(),
                            money(fx, x.now()),
                            x.cost().complete() ? fx.format(x.soFar(now)) : "≥" + fx.format(x.soFar(now)));
                }
                if (output.quiet) {
                    out.flush();
                    return ExitCodes.OK; // the rows only: no totals or notes
                }
                out.printf(
                        Locale.ROOT,
                        "%d VMs, %d running: %s, %s%s/month at this rate (730 h, list price). * = spot. Stopped VMs "
                                + "bill their disks.%n",
                        vms.size(),
                        vms.stream().filter(VmInfo::running).count(),
                        total.perHour(fx),
                        total.complete() ? "" : "≥ ",
                        fx.format(total.perHour().times(CostModel.HOURS_PER_MONTH)));
                total.why().forEach(w -> out.println("  not priced: " + w));
                if (!listing.unreachable().isEmpty()) {
                    out.println("  zones unreachable (their VMs are not listed, nor counted): "
                            + String.join(", ", listing.unreachable()));
                }
                out.println("  prices: " + model.catalog().info().label());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Stop or start through the action gate: confirmed, audited, bounded. */
    abstract static class PowerCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Mixin
        ProjectOptions p;

        @Option(
                names = {"-z", "--zone"},
                paramLabel = "ZONE",
                description = "the VM's zone (default: gcloud's compute/zone)")
        String zone;

        @Option(
                names = {"-y", "--yes"},
                description = "do it without asking")
        boolean yes;

        @Mixin
        CurrencyOptions currency = new CurrencyOptions();

        abstract boolean stop();

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            check(NAME, "instance name", vm);
            String project = p.project(err);
            String z = check(
                    ZONE, "zone", orGcloud(zone, GcloudConfig.fromEnvironment().zone(), "--zone", "zone", err));
            Fx fx = currency.fx();
            CostModel model = new CostModel(PriceCatalogFile.load(p.prices));
            try (ComputeApi api = ComputeApi.create(null, CALL_TIMEOUT)) {
                VmInfo info;
                try {
                    info = api.get(project, z, vm);
                } catch (HostException e) {
                    err.println("colabtop: " + e.getMessage());
                    return ExitCodes.HOST_FAILED;
                }
                VmPower plan;
                try {
                    plan = VmPowerPlans.plan(info, model, stop(), fx, api, status -> {});
                } catch (VmPowerPlans.Refused r) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.println("colabtop: " + r.getMessage());
                    out.flush();
                    // already where the user wants it: nothing to do is success; on its way elsewhere: wait
                    return r.alreadyDone() ? ExitCodes.OK : ExitCodes.USAGE;
                }
                return ActionCommands.confirmAndRun(spec, yes, plan, null, (r, out) -> {});
            } catch (HostException e) {
                err.println("colabtop: " + e.getMessage());
                return ExitCodes.HOST_FAILED;
            }
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop a VM (it stops billing for vCPUs, memory and GPUs; disks and static IPs keep billing). "
                    + "Asks you to type the VM's name unless --yes. A VM already stopped is left alone.")
    public static class Stop extends PowerCommand {
        @Override
        boolean stop() {
            return true;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a stopped VM. A VM that is running is left alone (refused, with what it bills).")
    public static class Start extends PowerCommand {
        @Override
        boolean stop() {
            return false;
        }
    }
}
