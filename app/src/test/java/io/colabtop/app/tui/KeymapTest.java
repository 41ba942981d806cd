package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.input.KeyStroke;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys are data: the README, the help screen and the hint bars say what the keymaps do. */
class KeymapTest {
    @Test
    void theReadmeKeyTableIsTheKeymap() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String generated = Keymaps.markdown();
        assertTrue(readme.contains(generated), "README.md's key table must be exactly:\n" + generated);
    }

    @Test
    void noKeyIsBoundTwiceOnAScreen() {
        for (List<Binding> map : List.of(Keymaps.TABLE, Keymaps.DETAIL, Keymaps.HELP_SCREEN)) {
            Set<Key> seen = new HashSet<>();
            for (Binding b : map) {
                for (Key k : b.keys()) {
                    assertTrue(seen.add(k), "bound twice: " + k.label());
                }
                assertFalse(b.help().isBlank(), b.keyLabel());
            }
        }
    }

    @Test
    void everyHintAndHelpLineComesFromABinding() {
        List<String> hints = Keymaps.hints(Keymaps.TABLE).stream()
                .map(h -> h.keys() + " " + h.text())
                .toList();
        assertEquals("Enter detail", hints.get(0));
        assertTrue(hints.contains("↑↓ select"), hints.toString());
        assertTrue(hints.contains("S stop VM"), hints.toString());
        assertTrue(
                Keymaps.help().get("Host view").stream().anyMatch(k -> k.keys().equals("p")), "p is a host-view key");
        assertTrue(Keymaps.find(Keymaps.DETAIL, new KeyStroke('p', false, false)) != null);
        assertNull(Keymaps.find(Keymaps.TABLE, new KeyStroke('p', false, false)), "p does nothing in the table");
        assertEquals(
                "kill",
                Keymaps.find(Keymaps.DETAIL, new KeyStroke('k', false, false)).hint(),
                "k kills in the host view, as in htop");
        assertEquals(
                "help",
                Keymaps.find(Keymaps.TABLE, new KeyStroke('h', false, false)).hint(),
                "h is help");
    }
}
