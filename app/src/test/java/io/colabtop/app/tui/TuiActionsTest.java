package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.action.HostShell;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.LocalSource;
import io.colabtop.testing.HostTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rescue keys on the virtual terminal, acting for real on this machine (CI runs as root). */
@HostTest
class TuiActionsTest {
    @TempDir
    Path tmp;

    DefaultVirtualTerminal vt;
    TuiSession session;
    ExecutorService background;
    AuditLog audit;
    HostShell shell;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "actions need root");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        try (InputStream in = getClass().getResourceAsStream("/fake-gcsfuse/gcsfuse")) {
            Files.copy(in, bin.resolve("gcsfuse"));
        }
        Files.setPosixFilePermissions(bin.resolve("gcsfuse"), PosixFilePermissions.fromString("rwxr-xr-x"));
        shell = new LocalProcess(Map.of(
                "PATH",
                bin + ":" + System.getenv("PATH"),
                "COLABTOP_FAKE_GCS",
                tmp.resolve("gcs").toString()));
        vt = new DefaultVirtualTerminal(new TerminalSize(200, 30));
        TerminalScreen screen = screen(vt);
        session = new TuiSession(screen, List.of("local"), Duration.ofSeconds(2), InstantSource.system(), () -> {});
        audit = new AuditLog(tmp.resolve("audit.log"));
        ActionGate gate = new ActionGate(audit, InstantSource.system(), host -> host.equals("local") ? shell : null);
        background = Executors.newSingleThreadExecutor();
        session.enableActions(
                new ActionDesk() {
                    public HostShell shellFor(String host) {
                        return host.equals("local") ? shell : null;
                    }

                    public ActionGate gate() {
                        return gate;
                    }
                },
                background);
        session.offer(HostUpdate.ok(new LocalSource(20, InstantSource.system()).poll()));
        session.step();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (background != null) {
            background.shutdownNow();
            background.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    void press(KeyStroke k) throws Exception {
        TestScreens.press(vt, session, k);
    }

    void type(String s) throws Exception {
        TestScreens.type(vt, session, s);
    }

    String screenText() {
        return String.join("\n", text(vt));
    }

    /** Steps the UI loop until the screen shows {@code what}: the work runs off the UI thread. */
    void waitFor(String what) throws Exception {
        waitUntil(() -> screenText().contains(what), what);
    }

    void waitUntil(BooleanSupplier ok, String what) throws Exception {
        TestScreens.waitUntil(vt, session, ok, what, 30);
    }

    @Test
    void wShowsTheSwapPlanWithRealSizesAndNCancelsIntoTheAuditLog() throws Exception {
        type("w");
        assertTrue(
                screenText().contains("planning swap on local"),
                "the key answers at once; planning runs off the UI thread");
        waitFor("swap-on on local: this will run");
        String s = screenText();
        assertTrue(s.contains("swap file /swapfile on local (RAM "), s);
        assertTrue(s.contains("mkswap /swapfile && swapon /swapfile"), s);
        type("n");
        waitFor("swap-on on local: cancelled");
        waitUntil(
                () -> {
                    try {
                        return !audit.tail(1).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                },
                "audit entry");
        assertEquals("declined", audit.tail(1).get(0).get("outcome").asText());
        assertFalse(Files.readString(Path.of("/proc/swaps")).contains("/swapfile "), "nothing created");
    }

    @Test
    void eInTheSwapPlanChangesSizeAndPathThenTheNewPlanRunsForReal() throws Exception {
        Path dir = io.colabtop.app.action.HostFixtures.rootOnlyDir("tui-swap");
        Path swap = dir.resolve("edited.swap");
        try {
            type("w");
            waitFor("swap-on on local: this will run");
            assertTrue(screenText().contains("e change size, path, reboot"), screenText());
            type("e");
            assertTrue(screenText().contains("swap size on local"), screenText());
            type("12X");
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("12X"), "a bad size is refused at once: " + screenText());
            assertNull(session.dialog());
            type("w");
            waitFor("swap-on on local: this will run");
            type("e");
            type("256M");
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("swap file path: /swapfile_"), screenText());
            for (int i = 0; i < "/swapfile".length(); i++) {
                press(new KeyStroke(KeyType.Backspace));
            }
            type(swap.toString());
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("after a reboot"), screenText());
            press(new KeyStroke(KeyType.Enter)); // the first choice: gone after reboot, /etc/fstab untouched
            waitFor("swap-on on local: this will run");
            String plan = screenText();
            assertTrue(plan.contains(swap.toString()), plan);
            assertTrue(plan.contains("256M"), "the size typed: " + plan);
            assertTrue(plan.contains("not persistent"), plan);
            String fstab = Files.readString(Path.of("/etc/fstab"));
            type("y");
            waitUntil(() -> screenText().contains("local: swap-on "), "the outcome");
            String done = screenText();
            if (done.contains("local: swap-on done in")) {
                assertTrue(Files.readString(Path.of("/proc/swaps")).contains(swap.toString()), "in /proc/swaps");
            } else {
                assertFalse(Files.exists(swap), "a failed swap leaves no file: " + done);
            }
            assertEquals(fstab, Files.readString(Path.of("/etc/fstab")), "not persistent: fstab untouched");
        } finally {
            new ProcessBuilder("swapoff", swap.toString()).start().waitFor(30, TimeUnit.SECONDS);
            io.colabtop.app.action.HostFixtures.deleteTree(dir);
        }
    }

    @Test
    void aLongSwapShowsItsProgressAndCCancelsIt() throws Exception {
        try (io.colabtop.app.action.HostFixtures.SlowFs fs = io.colabtop.app.action.HostFixtures.SlowFs.make(16)) {
            Path swap = fs.mount.resolve("swapfile");
            try {
                type("w");
                waitFor("swap-on on local: this will run");
                type("e");
                type("1G");
                press(new KeyStroke(KeyType.Enter));
                for (int i = 0; i < "/swapfile".length(); i++) {
                    press(new KeyStroke(KeyType.Backspace));
                }
                type(swap.toString());
                press(new KeyStroke(KeyType.Enter));
                press(new KeyStroke(KeyType.Enter)); // gone after reboot
                waitFor("swap-on on local: this will run");
                type("y");
                waitFor("writing zeros");
                String row = text(vt).stream()
                        .filter(l -> l.startsWith("local "))
                        .findFirst()
                        .orElseThrow();
                assertTrue(row.contains("⟳ swap-on: writing zeros") && row.contains("/1.0G ("), row);
                assertTrue(row.contains("(c cance"), row);
                press(new KeyStroke(KeyType.Enter)); // the host view: a bar, rate and time left
                waitUntil(() -> screenText().contains("/s, ") && screenText().contains(" left"), "rate and time left");
                assertTrue(screenText().contains("⟳ swap-on: ["), screenText());
                type("c");
                waitFor("swap-on cancelled");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (Files.exists(swap) && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertFalse(Files.exists(swap), "the partial file is removed");
                assertEquals("cancelled", audit.tail(1).get(0).get("outcome").asText());
            } finally {
                // a failed assertion must not leave the worker writing (nor its lock held)
                session.view().actions().cancel("local");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (session.view().actions().running("local") != null && System.nanoTime() < until) {
                    session.step();
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    void pInTheHostViewPinsTheSelectedProcessAndSaysWhatHappened() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(Path.of("/proc/" + child.pid() + "/oom_score_adj"), "999"); // top of the list
            session.offer(HostUpdate.ok(new LocalSource(20, InstantSource.system()).poll()));
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains(child.pid() + " root"), screenText());
            type("p");
            assertTrue(screenText().contains("echo -1000 > /proc/" + child.pid() + "/oom_score_adj"), screenText());
            type("y");
            waitFor("last action: pin ");
            String adj = Files.readString(Path.of("/proc/" + child.pid() + "/oom_score_adj"))
                    .strip();
            if (screenText().contains("last action: pin done")) {
                assertEquals("-1000", adj);
            } else {
                assertTrue(screenText().contains("needs CAP_SYS_RESOURCE"), screenText());
                assertEquals("999", adj, "refused: left as it was");
            }
            assertEquals("pin", audit.tail(1).get(0).get("action").asText());
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void kInTheHostViewChoosesASignalPlansItAndSendsItToTheProcessTheUserSaw() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(Path.of("/proc/" + child.pid() + "/oom_score_adj"), "998"); // near the top
            session.offer(HostUpdate.ok(new LocalSource(20, InstantSource.system()).poll()));
            press(new KeyStroke(KeyType.Enter));
            type("/");
            type(Long.toString(child.pid()));
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("[filter: " + child.pid() + "]"), screenText());
            type("k");
            String s = screenText();
            assertTrue(s.contains("signal for pid " + child.pid() + " (sleep 60)"), s);
            assertTrue(s.contains("1 TERM") && s.contains("4 KILL") && s.contains("6 CONT"), s);
            press(new KeyStroke(KeyType.Escape));
            assertTrue(child.isAlive(), "Esc sends nothing");
            type("k");
            press(new KeyStroke(KeyType.ArrowDown)); // INT
            press(new KeyStroke(KeyType.ArrowDown)); // HUP
            press(new KeyStroke(KeyType.ArrowDown)); // KILL
            press(new KeyStroke(KeyType.Enter));
            s = screenText();
            assertTrue(s.contains("kill -KILL " + child.pid()), s);
            assertTrue(s.contains("SIGKILL cannot be caught"), s);
            type("y");
            assertTrue(child.isAlive(), "KILL is dangerous: y alone does not send it");
            press(new KeyStroke(KeyType.Escape));
            waitFor("signal on local: cancelled");
            assertTrue(child.isAlive());
            type("k");
            type("1"); // TERM: a plain y
            assertTrue(screenText().contains("kill -TERM " + child.pid()), screenText());
            type("y");
            waitFor("last action: signal done");
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "TERM ended sleep");
            assertEquals(143, child.exitValue(), "killed by SIGTERM (128 + 15)");
            var entry = audit.tail(1).get(0);
            assertEquals("signal", entry.get("action").asText());
            assertEquals("ok", entry.get("outcome").asText(), entry.toString());
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void mAsksForBucketAndMountPointThenMountsForReal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/rclone")), "the gcsfuse stand-in needs rclone");
        Path mp = tmp.resolve("gcs-mnt");
        try {
            type("m");
            assertTrue(screenText().contains("gcsfuse: bucket to mount on local: _"), screenText());
            type("Bad;Bucket");
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("is not a valid bucket name"), screenText());
            type("m");
            type("training-data");
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("mount point for training-data: /content/gcs_"), screenText());
            for (int i = 0; i < "/content/gcs".length(); i++) {
                press(new KeyStroke(KeyType.Backspace));
            }
            type(mp.toString());
            press(new KeyStroke(KeyType.Enter));
            assertTrue(screenText().contains("gcsfuse --implicit-dirs training-data " + mp), screenText());
            type("y");
            waitFor("mount done in");
            assertTrue(Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals(mp.toString())));
        } finally {
            new ProcessBuilder("fusermount3", "-u", mp.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
