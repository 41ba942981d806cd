package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SwapAreaTest {
    @Test
    void headerOnlyMeansNoSwap() {
        assertEquals(List.of(), SwapArea.parseAll(Fixtures.text("proc/swaps-empty.txt")));
    }

    @Test
    void decodesEscapedPathsAndKibSizes() {
        List<SwapArea> a = SwapArea.parseAll(Fixtures.text("proc/swaps-two-files.txt"));
        assertEquals(2, a.size());
        assertEquals(new SwapArea("/tmp/sw ap/file", "file", 65532L * 1024, 0, -2), a.get(0));
        assertEquals(new SwapArea("/tmp/swap2", "file", 32764L * 1024, 0, 5), a.get(1));
    }

    @Test
    void unescapeLeavesLoneBackslashes() {
        assertEquals("a\\b", SwapArea.unescape("a\\b"));
        assertEquals("tab\there", SwapArea.unescape("tab\\011here"));
        assertEquals("end\\04", SwapArea.unescape("end\\04"));
    }

    @Test
    void badNumbersAreAnError() {
        assertThrows(
                ParseException.class, () -> SwapArea.parseAll("Filename Type Size Used Priority\n/s file x 0 -2\n"));
    }
}
