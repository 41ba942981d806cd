package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.testing.HostTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration, alert rules and Grafana dashboard shipped in monitoring/: checked
 * by Prometheus' own promtool (syntax, and a unit test for each alert), and held to the names
 * colabtop exports, so a renamed metric cannot leave a silent alert or an empty panel behind.
 */
class MonitoringFilesTest {
    static final Path DIR = Path.of("../monitoring").toAbsolutePath().normalize();
    static final Path RULES = DIR.resolve("colabtop-rules.yml");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Exported once the OOM kill history and the time-to-OOM forecast land (issue 10); used by the rules already. */
    static final Set<String> COMING =
            Set.of("colabtop_vmstat_oom_kill", "colabtop_oom_kills_total", "colabtop_time_to_oom_seconds");

    record Run(int code, String out) {}

    static Run promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    @HostTest
    void promtoolChecksTheRulesAndTheConfig() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "needs promtool (run-tests installs Debian's prometheus)");
        Run rules = promtool("check", "rules", RULES.getFileName().toString());
        assertEquals(0, rules.code(), rules.out());
        assertTrue(rules.out().contains("SUCCESS: " + alerts().size() + " rules found"), rules.out());
        Run config = promtool("check", "config", "prometheus.yml");
        assertEquals(0, config.code(), config.out());
    }

    @Test
    @HostTest
    void everyAlertFiresWhenItShouldAndOnlyThenByPromtoolsRuleTests() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "needs promtool (run-tests installs Debian's prometheus)");
        Run tests = promtool("test", "rules", "colabtop-rules.test.yml");
        assertEquals(0, tests.code(), tests.out());
        String text = Files.readString(DIR.resolve("colabtop-rules.test.yml"));
        for (String alert : alerts()) {
            assertTrue(text.contains("alertname: " + alert), "no rule test for " + alert);
        }
    }

    @Test
    void theRulesAndTheDashboardNameOnlyMetricsColabtopExports() throws Exception {
        Set<String> exported = new TreeSet<>(COMING);
        HostMetrics.ALL.forEach(m -> exported.add(m.exposedName()));
        exported.addAll(List.of(
                FleetCollector.SELF_RSS.getPrometheusName(),
                FleetCollector.SELF_THREADS.getPrometheusName(),
                FleetCollector.SELF_CPU.getPrometheusName(),
                FleetCollector.BUILD.getPrometheusName() + "_info"));
        List<String> exprs = new ArrayList<>(dashboardExprs());
        exprs.add(Files.readString(RULES));
        Set<String> used = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = Pattern.compile("colabtop_[A-Za-z0-9_]+").matcher(e);
            while (m.find()) {
                used.add(m.group());
            }
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "named but not exported");
        for (String needed : List.of(
                "colabtop_up",
                "colabtop_memory_MemAvailable_bytes",
                "colabtop_memory_SwapFree_bytes",
                "colabtop_pressure_memory_stalled_seconds_total",
                "colabtop_vm_hourly_cost",
                "colabtop_gpu_utilization_ratio",
                "colabtop_process_oom_score")) {
            assertTrue(used.contains(needed), "the dashboard or the rules show " + needed);
        }
    }

    @Test
    void theDashboardIsGrafanaJsonWithAPrometheusSourceAndAHostVariable() throws Exception {
        JsonNode d = new ObjectMapper()
                .readTree(DIR.resolve("grafana/colabtop-fleet.json").toFile());
        assertEquals("colabtop-fleet", d.get("uid").asText());
        List<String> variables = new ArrayList<>();
        d.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertEquals(List.of("datasource", "host"), variables);
        Set<String> titles = new TreeSet<>();
        for (JsonNode p : d.get("panels")) {
            titles.add(p.get("title").asText());
            assertEquals(
                    "${datasource}",
                    p.get("datasource").get("uid").asText(),
                    p.get("title").asText());
            assertTrue(p.get("targets").size() > 0, p.get("title").asText());
            for (JsonNode t : p.get("targets")) {
                assertTrue(t.get("expr").asText().contains("host=~\"$host\""), "follows the host variable: " + t);
            }
        }
        assertTrue(
                titles.containsAll(
                        List.of("Memory used", "Swap used", "Memory pressure (PSI)", "OOM kills", "Cost per hour")),
                titles.toString());
    }

    /** Every PromQL expression of the shipped dashboard, as Grafana would send it (variables left in). */
    static List<String> dashboardExprs() throws Exception {
        JsonNode d = new ObjectMapper()
                .readTree(DIR.resolve("grafana/colabtop-fleet.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode p : d.get("panels")) {
            p.get("targets").forEach(t -> out.add(t.get("expr").asText()));
        }
        d.get("annotations").get("list").forEach(a -> out.add(a.get("expr").asText()));
        return out;
    }

    /** The alert names of the shipped rules. */
    static List<String> alerts() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*- alert: (\\S+)$").matcher(Files.readString(RULES));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
