package io.colabtop.core.cost;

import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The currency a run shows money in: an ISO 4217 code and how many of its units make a US dollar
 * (the user's rate: --currency JPY --fx 150). The one place that converts and formats
 * {@link Money}: every amount of a run, plans included, goes through the run's Fx.
 */
public record Fx(String currency, double perUsd) {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    public static final Fx USD = new Fx("USD", 1);

    public Fx {
        if (currency == null || !CODE.matcher(currency).matches() || !isIso4217(currency)) {
            throw new IllegalArgumentException("currency '"
                    + io.colabtop.core.SafeText.clip(String.valueOf(currency), 20)
                    + "' is not an ISO 4217 currency code (USD, EUR, JPY, GBP, INR…)");
        }
        if (!(perUsd > 0) || Double.isInfinite(perUsd)) {
            throw new IllegalArgumentException(
                    "the rate of " + currency + " must be a number above 0 (units per USD), not " + perUsd);
        }
        if (currency.equals("USD") && perUsd != 1) {
            throw new IllegalArgumentException("the rate of USD to USD is 1, not " + perUsd);
        }
    }

    /** Whether Java's ISO 4217 table (the JDK's currency data) has the code. */
    public static boolean isIso4217(String code) {
        return Currency.getAvailableCurrencies().stream()
                .anyMatch(c -> c.getCurrencyCode().equals(code));
    }

    /** The amount in this currency, for machine-readable output. */
    public double amount(Money m) {
        return m.usd() * perUsd;
    }

    /**
     * For a person, with the precision an amount needs in this currency: 100 and above in the
     * currency's minor units (¥1,234, $2,124.00, 1,234.567 KWD); from 1 to 100 with at least two
     * decimals, so an hourly rate keeps its cents even in a currency without them (¥13.83, not
     * ¥14); under 1 with four (an hourly disk or IP price: $0.0274).
     */
    public String format(Money m) {
        double amount = amount(m);
        int minor = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        double abs = Math.abs(amount);
        int digits = abs >= 100 || abs == 0 ? minor : abs >= 1 ? Math.max(2, minor) : Math.max(4, minor);
        String n = String.format(Locale.ROOT, "%,." + digits + "f", amount);
        return switch (currency) {
            case "USD" -> "$" + n;
            case "JPY" -> "¥" + n;
            case "EUR" -> "€" + n;
            case "GBP" -> "£" + n;
            default -> n + " " + currency;
        };
    }
}
