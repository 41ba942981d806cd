package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a gcloud or kubectl user types, and what the command line answers. */
class CliHabitsTest {
    @Test
    void aMistypedCommandIsNotAHost() {
        CliTest.Run r = CliTest.run("stauts");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("unknown command 'stauts': did you mean 'status'?"), r.err());
        assertTrue(r.err().contains("colabtop -- stauts"), "says how to mean a host: " + r.err());
        assertTrue(CliTest.run("vsm").err().contains("did you mean 'vms'?"));
        assertTrue(
                CliTest.run("stop-vm").code() != 2
                        || !CliTest.run("stop-vm").err().contains("did you mean"),
                "far from every command: a host");
        assertEquals(0, ColabtopCommand.editDistance("status", "status"));
        assertEquals(1, ColabtopCommand.editDistance("stauts", "status"), "a swap is one edit");
    }

    @Test
    void aHostNamedLikeACommandGoesAfterDoubleDash() {
        // after --, 'stauts' is a host: resolving it (no such host) fails later, but not as a mistyped command
        CliTest.Run r = CliTest.run("status", "--deadline", "1s", "--", "stauts");
        assertFalse(r.err().contains("did you mean"), r.err());
    }

    @Test
    void helpAndVersionAreCommandsToo() {
        CliTest.Run help = CliTest.run("help", "status");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Usage: colabtop status"), help.out());
        CliTest.Run version = CliTest.run("version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("colabtop "), version.out());
        assertEquals(version.out(), CliTest.run("--version").out());
    }

    @Test
    void completionScriptsComeFromTheCommandModel() {
        CliTest.Run bash = CliTest.run("completion", "bash");
        assertEquals(0, bash.code(), bash.err());
        for (String word : List.of("status", "swap", "audit", "--format", "--accept-new", "completion")) {
            assertTrue(bash.out().contains(word), "completes " + word);
        }
        CliTest.Run zsh = CliTest.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("#compdef colabtop"), zsh.out().substring(0, 40));
        assertEquals(2, CliTest.run("completion", "fish").code());
    }

    @Test
    void auditCountsAreChecked() {
        CliTest.Run none = CliTest.run("audit", "-n", "0");
        assertEquals(0, none.code());
        assertEquals("", none.out(), "-n 0 prints nothing");
        CliTest.Run negative = CliTest.run("audit", "-n", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("-n/--last must be 0 or more"), negative.err());
    }

    @Test
    void statusSpeaksCsvAndJsonAndSaysEachErrorOnce(@TempDir Path tmp) throws Exception {
        String down = System.getProperty("user.name") + "@127.0.0.1:1";
        CliTest.Run csv = CliTest.run("status", "--format", "csv", "--deadline", "5s", "local", down);
        assertEquals(1, csv.code());
        List<String> lines = csv.out().lines().toList();
        assertTrue(lines.get(0).startsWith("host,reachable,error,memTotalBytes"), lines.get(0));
        assertTrue(lines.get(1).startsWith("local,true,,"), lines.get(1));
        assertTrue(lines.get(2).startsWith(down + ",false,"), lines.get(2));
        assertEquals(1, count(csv.err(), "Connection refused"), csv.err());
        CliTest.Run table = CliTest.run("status", "--deadline", "5s", down);
        assertEquals(
                1, count(table.out() + table.err(), "Connection refused"), "the table and stderr do not both say it");
        JsonNode json = new ObjectMapper()
                .readTree(CliTest.run("status", "--format", "JSON", "local").out());
        assertEquals("local", json.get("hosts").get(0).get("name").asText(), "case-insensitive --format");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
