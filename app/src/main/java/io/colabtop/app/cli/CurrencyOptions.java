package io.colabtop.app.cli;

import io.colabtop.core.cost.Fx;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * --currency CODE --fx RATE: show USD list prices in another currency at the user's rate. One
 * currency for a whole run: tables, totals, plans and the Colab comparison all go through the
 * {@link Fx} made here.
 */
public class CurrencyOptions {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    @Option(
            names = "--currency",
            paramLabel = "CODE",
            description = "show costs in this ISO 4217 currency (e.g. JPY, EUR, INR); needs --fx")
    String currency;

    @Option(names = "--fx", paramLabel = "RATE", description = "units of --currency per US dollar, e.g. 150 for JPY")
    Double fx;

    public String code() {
        if (currency == null) {
            if (fx != null) {
                throw new IllegalArgumentException("--fx needs --currency");
            }
            return "USD";
        }
        String c = currency.strip().toUpperCase(java.util.Locale.ROOT);
        if (!CODE.matcher(c).matches() || !Fx.isIso4217(c)) {
            throw new IllegalArgumentException("--currency " + io.colabtop.core.SafeText.clip(currency, 20)
                    + " is not an ISO 4217 currency code (USD, EUR, JPY, GBP, INR…)");
        }
        return c;
    }

    /** The currency this run shows money in; a usage error names what is wrong. */
    public Fx fx() {
        try {
            return new Fx(code(), rate());
        } catch (IllegalArgumentException e) {
            throw new io.colabtop.app.config.UsageError(e.getMessage());
        }
    }

    public double rate() {
        String c = code();
        if (c.equals("USD")) {
            if (fx != null && fx != 1) {
                throw new IllegalArgumentException(
                        "--fx " + fx + " with USD: prices are in USD already (leave --fx out)");
            }
            return 1;
        }
        if (fx == null || !(fx > 0) || fx.isInfinite()) {
            throw new IllegalArgumentException(
                    "--currency " + c + " needs --fx RATE (units of " + c + " per US dollar, above 0)");
        }
        return fx;
    }
}
