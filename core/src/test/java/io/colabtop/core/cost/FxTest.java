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
        assertEquals("¥437", yen.format(m), "100 yen and more: yen have no minor unit");
        assertEquals("12.50 CHF", new Fx("CHF", 1.25).format(Money.usd(10)));
        assertEquals(
                "$2,124.00", Fx.USD.format(m.times(730).minus(Money.usd(0.8147)).plus(Money.ZERO)));
    }

    @Test
    void precisionFollowsTheAmountAndTheCurrency() {
        Fx yen = new Fx("JPY", 150);
        // an hourly rate in yen keeps its cents: ¥13.83, not ¥14 (issue 11)
        assertEquals("¥13.83", yen.format(Money.usd(13.83 / 150)));
        assertEquals("¥0.7500", yen.format(Money.usd(0.005)), "an IP's hourly price");
        assertEquals("¥0", yen.format(Money.ZERO));
        assertEquals("$0.00", Fx.USD.format(Money.ZERO));
        // the Kuwaiti dinar has three minor digits
        assertEquals("1,234.568 KWD", new Fx("KWD", 1).format(Money.usd(1234.5678)));
        assertEquals("£1,000.00", new Fx("GBP", 1).format(Money.usd(1000)));
        assertEquals("€-2.50", new Fx("EUR", 1).format(Money.usd(-2.5)));
    }

    @Test
    void aBadCurrencyOrRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Fx("usd", 1));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY\u001b", 150));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", 0));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Fx("JPY", Double.POSITIVE_INFINITY));
        // three capitals are not a currency: ISO 4217 says which are
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Fx("ABC", 2));
        assertTrue(e.getMessage().contains("ISO 4217"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Fx("QQQ", 2));
        assertThrows(IllegalArgumentException.class, () -> new Fx("USD", 1.1), "a dollar is a dollar");
        assertTrue(Fx.isIso4217("INR") && Fx.isIso4217("BRL") && !Fx.isIso4217("XYZ"));
    }
}
