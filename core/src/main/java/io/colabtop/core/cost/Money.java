package io.colabtop.core.cost;

/**
 * An amount of money, kept in US dollars: the currency Google's list prices are in. It is shown
 * in the run's currency by {@link Fx}, the one place that converts and formats, so no caller
 * multiplies by a rate by hand.
 */
public record Money(double usd) implements Comparable<Money> {
    public static final Money ZERO = new Money(0);

    public static Money usd(double amount) {
        return new Money(amount);
    }

    public Money plus(Money o) {
        return new Money(usd + o.usd);
    }

    public Money minus(Money o) {
        return new Money(usd - o.usd);
    }

    public Money times(double factor) {
        return new Money(usd * factor);
    }

    public boolean isZero() {
        return usd == 0;
    }

    @Override
    public int compareTo(Money o) {
        return Double.compare(usd, o.usd);
    }
}
