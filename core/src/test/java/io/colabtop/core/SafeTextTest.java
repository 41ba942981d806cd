package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void terminalControlsBecomeVisibleEscapes() {
        // OSC 0 (set title), CSI (recolour, clear screen), BEL: what a hostile process name would carry
        assertEquals("\\x1b]0;pwned\\x07x", SafeText.shown("\u001b]0;pwned\u0007x"));
        assertEquals("\\x1b[2J\\x1b[31mEVIL", SafeText.shown("\u001b[2J\u001b[31mEVIL"));
        assertEquals("a\\tb\\nc\\rd\\x7f", SafeText.shown("a\tb\nc\rd\u007f"));
        // C1 CSI (0x9b) is obeyed by some terminals like ESC [
        assertEquals("\\x9b31m", SafeText.shown("\u009b31m"));
    }

    @Test
    void bidiAndInvisibleCharactersAreShown() {
        // "Trojan Source": a right-to-left override makes "evil.sh" read as "hs.live"
        assertEquals("\\u202ehs.live", SafeText.shown("\u202ehs.live"));
        assertEquals("a\\u2066b\\u2069", SafeText.shown("a\u2066b\u2069"));
        assertEquals("zero\\u200bwidth\\ufeff", SafeText.shown("zero\u200bwidth\ufeff"));
        assertEquals("line\\u2028sep", SafeText.shown("line\u2028sep"));
        assertEquals("lone\\ud800", SafeText.shown("lone\ud800"));
        assertEquals("\\ue000private", SafeText.shown("\ue000private"));
    }

    @Test
    void ordinaryTextPassesUnchanged() {
        for (String s : new String[] {
            "python3 train.py --lr 0.1", "caf\u00e9", "训练 データ", "na\u00efve", "🚀 run", "C:\\path\\x41", "ก\u0e38"
        }) {
            assertEquals(s, SafeText.shown(s), s);
            assertTrue(SafeText.isSafe(s), s);
        }
        assertFalse(SafeText.isSafe("a\u001bb"));
    }

    @Test
    void combiningMarksComposeOrAreShown() {
        assertEquals("caf\u00e9", SafeText.shown("cafe\u0301"), "composed (NFC) into one character");
        String zalgo = "Z" + "\u0336".repeat(50);
        assertEquals("Z" + "\\u0336".repeat(50), SafeText.shown(zalgo), "a stack of marks cannot paint over rows");
        assertEquals("\\u0301x", SafeText.shown("\u0301x"));
        assertEquals("\u0e01\u0e38", SafeText.shown("\u0e01\u0e38"), "a Thai vowel stays on its letter");
    }

    @Test
    void anyInputComesOutWithoutAControlOrFormatCharacter() {
        Random r = new Random(8);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x100) : r.nextInt(0x10000)));
            }
            String out = SafeText.shown(sb.toString());
            out.codePoints()
                    .forEach(cp -> assertFalse(SafeText.needsEscape(cp), () -> "left " + Integer.toHexString(cp)));
            assertTrue(SafeText.isSafe(out));
        }
    }

    @Test
    void clipCountsCodePointsAndMarksTheCut() {
        assertEquals("abc…", SafeText.clip("abcdef", 3));
        assertEquals("abc", SafeText.clip("abc", 3));
        assertEquals("🚀🚀…", SafeText.clip("🚀🚀🚀", 2));
        assertEquals("", SafeText.clip(null, 3));
    }

    @Test
    void hostTextKeepsTheExactTextAndShowsTheSafeOne() {
        HostText t = HostText.of("\u001b[31mred");
        assertEquals("\u001b[31mred", t.exact());
        assertEquals("\\x1b[31mred", t.shown());
        assertEquals("\\x1b[31mred", "" + t);
        HostText big = HostText.of("x".repeat(10_000));
        assertTrue(big.cut());
        assertEquals(HostText.MAX_CHARS, big.exact().length());
        assertTrue(big.shown().endsWith("…"));
        // never cut between the halves of a surrogate pair
        HostText pair = HostText.of("a🚀", 2);
        assertEquals("a", pair.exact());
        assertSame(HostText.EMPTY, HostText.of(null));
    }
}
