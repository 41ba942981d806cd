package io.colabtop.app.cli;

import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.gce.BillingCatalogApi;
import io.colabtop.core.HostException;
import io.colabtop.core.cost.BillingSkus;
import io.colabtop.core.cost.PriceCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code colabtop prices}: which price catalog colabtop uses, and fetching a fresh one from Google. */
@Command(
        name = "prices",
        mixinStandardHelpOptions = true,
        description = "Show which price catalog colabtop uses, or fetch today's from Google's Cloud Billing Catalog.",
        subcommands = {PricesCommand.Show.class, PricesCommand.Update.class})
public class PricesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Which catalog a run uses (the newer of the last fetched and the shipped snapshot), its date "
                    + "and sources.")
    public static class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--prices", paramLabel = "FILE", description = "a price file instead of the default")
        Path prices;

        @Override
        public Integer call() {
            PriceCatalog c = PriceCatalogFile.load(prices);
            PrintWriter out = spec.commandLine().getOut();
            out.println("prices: " + c.info().label() + " (" + c.info().origin() + ")");
            out.println("  " + c.info().source());
            out.println("  " + c.regions().size() + " regions, " + c.shapes().size() + " machine types; " + "cache: "
                    + PriceCatalogFile.cacheDir(System.getenv()));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = {
                "Fetch Compute Engine's list prices (USD) from Google's Cloud Billing Catalog API with your Application "
                        + "Default Credentials and keep them in colabtop's cache directory, dated; every cost "
                        + "view then says it uses them.",
                "Needs the Cloud Billing API enabled on a project you can use (gcloud services enable "
                        + "cloudbilling.googleapis.com)."
            })
    public static class Update implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<BillingSkus.Sku> skus;
            try {
                BillingCatalogApi api = BillingCatalogApi.create(null, Duration.ofSeconds(60));
                skus = api.computeSkus(p -> {
                    err.println("colabtop: Billing Catalog " + p);
                    err.flush();
                });
            } catch (HostException e) {
                err.println("colabtop: " + e.getMessage());
                return ExitCodes.HOST_FAILED;
            }
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Path dir = PriceCatalogFile.cacheDir(System.getenv());
            BillingSkus.Result r = BillingSkus.toCatalog(
                    skus,
                    PriceCatalogFile.shipped().shapes(),
                    today,
                    dir.resolve("prices-" + today + ".json").toString());
            if (r.catalog().regions().isEmpty()) {
                err.println("colabtop: the Billing Catalog answered " + r.read() + " SKUs but none colabtop can use; "
                        + "the cached catalog is unchanged");
                return ExitCodes.HOST_FAILED;
            }
            try {
                r.catalog().validate();
            } catch (IllegalArgumentException e) {
                err.println("colabtop: the Billing Catalog's prices look wrong (" + e.getMessage()
                        + "); the cached catalog is unchanged");
                return ExitCodes.HOST_FAILED;
            }
            Path written = PriceCatalogFile.write(r.catalog(), dir);
            out.printf(
                    "Billing Catalog of %s: %d SKUs read, %d used, %d skipped (commitments, reservations, premiums), "
                            + "%d regions%n",
                    today,
                    r.read(),
                    r.used(),
                    r.skipped(),
                    r.catalog().regions().size());
            if (!r.notUnderstood().isEmpty()) {
                out.println("not understood (left out): " + String.join("; ", r.notUnderstood()));
            }
            out.println("written to " + written);
            out.flush();
            return ExitCodes.OK;
        }
    }
}
