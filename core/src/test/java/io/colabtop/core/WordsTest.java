package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Words.of splits as the {@code trim().split("\\s+")} it replaces did, on the lines the parsers read. */
class WordsTest {
    @Test
    void theSameWordsAsSplit() {
        for (String line : List.of(
                "       24683656 kB",
                "Uid:\t1000\t1000\t1000\t1000",
                "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=0",
                "/swapfile                               file\t\t2097148\t\t0\t\t-2",
                "",
                "   ",
                "one")) {
            assertArrayEquals(line.trim().split("\\s+"), Words.of(line), "'" + line + "'");
        }
    }
}
