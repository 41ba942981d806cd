package io.colabtop.app.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** --currency CODE --fx RATE: show USD list prices in another currency at the user's rate. */
public class CurrencyOptions {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    @Option(
            names = "--currency",
            paramLabel = "CODE",
            description = "show costs in this currency (ISO code, e.g. JPY); needs --fx")
    String currency;

    @Option(names = "--fx", paramLabel = "RATE", description = "units of --currency per USD, e.g. 150 for JPY")
    Double fx;

    public String code() {
        if (currency == null) {
            if (fx != null) {
                throw new IllegalArgumentException("--fx needs --currency");
            }
            return "USD";
        }
        String c = currency.toUpperCase(java.util.Locale.ROOT);
        if (!CODE.matcher(c).matches()) {
            throw new IllegalArgumentException("--currency " + currency + " is not a 3-letter ISO code");
        }
        return c;
    }

    /** The currency this run shows money in; a usage error names what is wrong. */
    public io.colabtop.core.cost.Fx fx() {
        try {
            return new io.colabtop.core.cost.Fx(code(), rate());
        } catch (IllegalArgumentException e) {
            throw new io.colabtop.app.config.UsageError(e.getMessage());
        }
    }

    public double rate() {
        String c = code();
        if (c.equals("USD")) {
            return fx == null ? 1 : fx;
        }
        if (fx == null || !(fx > 0) || fx.isInfinite()) {
            throw new IllegalArgumentException("--currency " + c + " needs --fx RATE (units per USD, above 0)");
        }
        return fx;
    }
}
