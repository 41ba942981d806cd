package io.colabtop.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.gce.ComputeApi;
import io.colabtop.app.gce.VmPowerPlans;
import io.colabtop.core.HostException;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /** Cost figures of one VM at list price. */
    record Priced(VmInfo vm, CostModel.Cost cost, String error) {
        Money perHourNow() {
            return cost == null ? Money.ZERO : cost.now(vm);
        }

        Money soFar(Instant now) {
            return cost == null ? Money.ZERO : CostModel.sinceStart(cost.total(), vm, now);
        }
    }

    static List<Priced> price(List<VmInfo> vms, CostModel model) {
        List<Priced> out = new ArrayList<>();
        for (VmInfo v : vms) {
            try {
                out.add(new Priced(v, model.hourly(v.shape()), null));
            } catch (IllegalArgumentException e) {
                out.add(new Priced(v, null, e.getMessage()));
            }
        }
        return out;
    }

    public static class ProjectOptions {
        @Option(
                names = {"-p", "--project"},
                required = true,
                paramLabel = "PROJECT",
                description = "GCP project id")
        String project;

        @Option(names = "--prices", paramLabel = "FILE", description = "price catalog instead of the shipped one")
        Path prices;
    }

    @Command(
            name = "vms",
            mixinStandardHelpOptions = true,
            description = {
                "List the project's VMs in all zones with status, shape, GPUs, IPs and what each costs per hour.",
                "Stopped VMs still bill for their disks."
            })
    public static class Vms implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOptions p;

        @Mixin
        CurrencyOptions currency;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            check(PROJECT, "project", p.project);
            Fx fx = currency.fx();
            String cur = fx.currency();
            CostModel model = new CostModel(PriceCatalogFile.load(p.prices));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<VmInfo> vms;
            try (ComputeApi api = ComputeApi.create(null, CALL_TIMEOUT)) {
                vms = api.list(p.project, w -> err.println("colabtop: warning: " + w));
            } catch (HostException e) {
                err.println("colabtop: " + e.getMessage());
                return ExitCodes.HOST_FAILED;
            }
            Instant now = Instant.now();
            List<Priced> priced = price(vms, model);
            Money total = priced.stream().map(Priced::perHourNow).reduce(Money.ZERO, Money::plus);
            if (json) {
                ObjectNode root = new ObjectMapper().createObjectNode();
                root.put("project", p.project)
                        .put("currency", cur)
                        .put("totalPerHour", fx.amount(total))
                        .put("totalPerMonth", fx.amount(total.times(CostModel.HOURS_PER_MONTH)));
                ArrayNode arr = root.putArray("vms");
                for (Priced x : priced) {
                    VmInfo v = x.vm();
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
                    if (x.cost() != null) {
                        n.put("costPerHour", fx.amount(x.perHourNow()))
                                .put("runningCostPerHour", fx.amount(x.cost().total()))
                                .put("costSinceStart", fx.amount(x.soFar(now)));
                    } else {
                        n.put("costError", x.error());
                    }
                }
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
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
                                            + g.type()
                                                    .replace("nvidia-tesla-", "")
                                                    .replace("nvidia-", ""))
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
                            x.cost() == null ? "?" : fx.format(x.perHourNow()),
                            x.cost() == null ? "-" : fx.format(x.soFar(now)));
                }
                out.printf(
                        Locale.ROOT,
                        "%d VMs, %d running: %s/h, %s/month at this rate (730 h). * = spot. Stopped VMs bill their disks.%n",
                        vms.size(),
                        vms.stream().filter(VmInfo::running).count(),
                        fx.format(total),
                        fx.format(total.times(CostModel.HOURS_PER_MONTH)));
                priced.stream()
                        .filter(x -> x.error() != null)
                        .forEach(x -> out.println("  " + x.vm().name() + ": " + x.error()));
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
                required = true,
                paramLabel = "ZONE")
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
            check(PROJECT, "project", p.project);
            check(ZONE, "zone", zone);
            check(NAME, "instance name", vm);
            PrintWriter err = spec.commandLine().getErr();
            try (ComputeApi api = ComputeApi.create(null, CALL_TIMEOUT)) {
                VmInfo info;
                try {
                    info = api.get(p.project, zone, vm);
                } catch (HostException e) {
                    err.println("colabtop: " + e.getMessage());
                    return ExitCodes.HOST_FAILED;
                }
                VmPower plan = VmPowerPlans.plan(
                        info, new CostModel(PriceCatalogFile.load(p.prices)), stop(), currency.fx(), api, status -> {});
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
                    + "Asks you to type the VM's name unless --yes.")
    public static class Stop extends PowerCommand {
        @Override
        boolean stop() {
            return true;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a stopped VM.")
    public static class Start extends PowerCommand {
        @Override
        boolean stop() {
            return false;
        }
    }
}
