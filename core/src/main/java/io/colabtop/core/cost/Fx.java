package io.colabtop.core.cost;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The currency a run shows money in: an ISO 4217 code and how many of its units make a US dollar
 * (the user's rate: --currency JPY --fx 150). Converts and formats {@link Money}.
 */
public record Fx(String currency, double perUsd) {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    public static final Fx USD = new Fx("USD", 1);

    public Fx {
        if (currency == null || !CODE.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency '"
                    + io.colabtop.core.SafeText.clip(String.valueOf(currency), 20) + "' is not a 3-letter ISO code");
        }
        if (!(perUsd > 0) || Double.isInfinite(perUsd)) {
            throw new IllegalArgumentException(
                    "the rate of " + currency + " must be a number above 0 (units per USD), not " + perUsd);
        }
    }

    /** The amount in this currency, for machine-readable output. */
    public double amount(Money m) {
        return m.usd() * perUsd;
    }

    /** For a person: JPY and KRW without decimals, others with two (four under one unit). */
    public String format(Money m) {
        double amount = amount(m);
        boolean noCents = currency.equals("JPY") || currency.equals("KRW");
        String n = noCents
                ? String.format(Locale.ROOT, "%,.0f", amount)
                : Math.abs(amount) < 1
                        ? String.format(Locale.ROOT, "%.4f", amount)
                        : String.format(Locale.ROOT, "%,.2f", amount);
        return switch (currency) {
            case "USD" -> "$" + n;
            case "JPY" -> "¥" + n;
            case "EUR" -> "€" + n;
            default -> n + " " + currency;
        };
    }
}
