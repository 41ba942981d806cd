package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MemInfoTest {
    @Test
    void parsesRecordedMeminfoInBytes() {
        MemInfo m = MemInfo.parse(Fixtures.text("proc/meminfo-debian12-kvm.txt"));
        assertEquals(24683656L * 1024, m.totalBytes());
        assertEquals(24392972L * 1024, m.availableBytes());
        assertEquals(0, m.swapTotalBytes());
        assertEquals(m.totalBytes() - m.availableBytes(), m.usedBytes());
    }

    @Test
    void readsSwapTotals() {
        MemInfo m = MemInfo.parse(Fixtures.text("proc/meminfo-with-swap.txt"));
        assertEquals(98296L * 1024, m.swapTotalBytes());
        assertEquals(98296L * 1024, m.swapFreeBytes());
        assertEquals(0, m.swapUsedBytes());
    }

    @Test
    void estimatesAvailableOnOldKernels() {
        MemInfo m = MemInfo.parse(Fixtures.text("proc/meminfo-no-memavailable.txt"));
        assertEquals((520212L + 301144L + 5012344L) * 1024, m.availableBytes());
        assertEquals(2097148L * 1024 - 2091220L * 1024, m.swapUsedBytes());
    }

    @Test
    void truncatedTextKeepsWhatIsWhole() {
        MemInfo m = MemInfo.parse(Fixtures.text("proc/meminfo-truncated.txt"));
        assertEquals(24683656L * 1024, m.totalBytes());
        assertEquals(495908L * 1024, m.cachedBytes());
    }

    @Test
    void textWithoutMemTotalIsAnError() {
        ParseException e = assertThrows(ParseException.class, () -> MemInfo.parse("MemFree: 12 kB\nMemAv"));
        assertTrue(e.getMessage().contains("MemTotal"));
        assertThrows(ParseException.class, () -> MemInfo.parse(""));
    }
}
