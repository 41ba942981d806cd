package io.colabtop.core.cost;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FxTest {
    @Test
    void convertsAndFormatsInOnePlace() {
        Money m = Money.usd(2.910705);
        assertEquals("$2.91", Fx.USD.format(m));
        assertEquals("$0.1855", Fx.USD.format(Money.usd(0.18549)), "under one unit: four decimals");
        Fx yen = new Fx("JPY", 150);
        assertEquals(436.60575, yen.amount(m), 1e-9);
        assertEquals("¥437", yen.format(m));
        assertEquals("12.50 CHF", new Fx("CHF", 1.25).format(Money.usd(10)));
        assertEquals(
                "$2,124.00", Fx.USD.format(m.times(730).minus(Money.usd(0.8147)).plus(Money.ZERO)));
    }

    @Test
    void aBadCurrencyOrRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Fx("usd", 1));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY\u001b", 150));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", 0));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", Double.POSITIVE_INFINITY));
    }
}
