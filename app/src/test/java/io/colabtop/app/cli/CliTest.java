package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.config.AppPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI as a script sees it: picocli's execute with captured output and exit codes. */
public class CliTest {
    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        CommandLine cl = ColabtopCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusJsonDescribesTheLocalMachine() throws Exception {
        Run r = run("status", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode h = root.get("hosts").get(0);
        assertEquals("local", h.get("name").asText());
        assertTrue(h.get("reachable").asBoolean());
        assertTrue(h.get("error").isNull());
        String meminfo = Files.readString(Path.of("/proc/meminfo"));
        long total = Long.parseLong(meminfo.lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("\\D", ""))
                * 1024;
        assertEquals(total, h.get("memory").get("totalBytes").asLong());
        for (String f : new String[] {"availableBytes", "swapTotalBytes", "swapFreeBytes"}) {
            assertTrue(h.get("memory").has(f), f);
        }
        assertTrue(h.get("swaps").isArray());
        assertTrue(h.get("gpus").isArray());
        JsonNode procs = h.get("processes");
        assertTrue(procs.size() >= 10);
        for (String f : new String[] {"pid", "user", "command", "rssBytes", "oomScore", "oomScoreAdj"}) {
            assertTrue(procs.get(0).has(f), f);
        }
        if (Files.exists(Path.of("/proc/pressure/memory"))) {
            assertTrue(h.get("pressure").has("someAvg10"));
            assertTrue(h.get("pressure").has("fullAvg10"));
        }
    }

    @Test
    void statusTableNamesTheHostAndItsProcesses() {
        Run r = run("status", "-n", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("local: RAM "), r.out());
        assertTrue(r.out().contains("OOM"));
        assertEquals(3, r.out().lines().filter(l -> l.matches("\\s+\\d+ .*")).count(), r.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run bogus = run("status", "--bogus");
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("--bogus"), bogus.err());
        assertEquals(2, run("status", "--processes", "0").code());
        Run interval = run("status", "--interval", "soon");
        assertEquals(2, interval.code());
        assertTrue(interval.err().contains("not a duration"), interval.err());
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Usage: colabtop"));
        assertTrue(help.out().contains("Exit codes:"));
        assertTrue(help.out().contains("status"));
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("colabtop "), v.out());
    }

    @Test
    void durations() {
        assertEquals(2000, DurationConverter.parse("2s").toMillis());
        assertEquals(500, DurationConverter.parse("500ms").toMillis());
        assertEquals(1500, DurationConverter.parse("1.5").toMillis());
        assertEquals(60000, DurationConverter.parse("1m").toMillis());
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("10ms"));
    }

    @Test
    void xdgPaths() {
        AppPaths p = AppPaths.from(java.util.Map.of("HOME", "/h", "XDG_STATE_HOME", "relative/ignored"));
        assertEquals(Path.of("/h/.config/colabtop/config.toml"), p.defaultConfigFile());
        assertEquals(Path.of("/h/.local/state/colabtop"), p.stateDir());
        assertEquals(
                Path.of("/x/colabtop"),
                AppPaths.from(java.util.Map.of("HOME", "/h", "XDG_CONFIG_HOME", "/x"))
                        .configDir());
    }

    @Test
    void theJarsMainClassIsTheEntryPoint() throws Exception {
        // the shaded jar's manifest names it: a class moved without the pom following made ./colabtop fail to start
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<mainClass>([\\w.]+)</mainClass>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "app/pom.xml names a main class");
        assertEquals(Main.class.getName(), m.group(1));
        assertNotNull(Class.forName(m.group(1)).getMethod("main", String[].class));
    }
}
