package io.colabtop.core.action;

import io.colabtop.core.SafeText;
import java.time.Duration;
import java.time.Instant;

/**
 * What autostop a host has armed, as its status script reported it (every value is the host's
 * word: numbers are parsed strictly, text is made safe and bounded), or what this colabtop keeps
 * for a host it watches from here. Times on the host are turned into time left when read, so a
 * host clock that is off does not shift them: {@code firesIn} counts from {@code readAt}.
 *
 * @param armed      whether a rule is armed (it may have fired already)
 * @param fromHere   kept by this colabtop (--from-here), not by a watcher on the host
 * @param what       "when PID 4242 exits", "idle 30m"
 * @param how        "systemd", "detached" or "here"
 * @param running    whether its watcher runs (the host's process, or this colabtop's watch)
 * @param watchers   how many watcher processes the host has for it (1 when all is well)
 * @param stale      armed before the host's last boot (a state that should have gone with it)
 * @param pending    the condition holds now; {@code firesIn} counts down
 * @param firesIn    time left, as read at {@code readAt}; null when not pending
 * @param note       the watcher's last check: "PID 4242 (python) runs", "busy: CPU 47%"
 * @param fired      why and how it fired, or null
 * @param lastLog    the last line of the host's autostop log (it outlives a reboot), or null
 */
public record AutostopState(
        boolean armed,
        boolean fromHere,
        String id,
        String trigger,
        String what,
        String how,
        boolean running,
        int watchers,
        boolean stale,
        boolean pending,
        Duration firesIn,
        String note,
        Fired fired,
        String lastLog,
        Instant readAt) {

    /** Why and how it fired: the reason, the hook's end, the stop command's exit status. */
    public record Fired(Instant at, String reason, String hook, String stopCommand, Integer stopExit, String stopOut) {
        /** "fired: PID 4242 (python) exited; no OOM kill since arming; stop exited 0". */
        public String describe() {
            StringBuilder b = new StringBuilder(reason == null ? "fired" : reason);
            if (hook != null) {
                b.append("; --before hook ").append(hook);
            }
            if (stopExit != null) {
                b.append("; the stop command exited ").append(stopExit);
                if (stopExit != 0 && stopOut != null && !stopOut.isBlank()) {
                    b.append(" (").append(stopOut).append(')');
                }
            } else if (stopCommand != null) {
                b.append("; stopping");
            }
            return b.toString();
        }

        public boolean failed() {
            return stopExit != null && stopExit != 0;
        }
    }

    static final int MAX_TEXT = 300;

    /** Nothing armed, as read at {@code at}. */
    public static AutostopState none(Instant at) {
        return new AutostopState(
                false, false, null, null, null, null, false, 0, false, false, null, null, null, null, at);
    }

    /**
     * The status script's report ({@code colabtop-result: key=value} lines):
     * <pre>
     * now=1718000400  armed=1  id=6f1c2a  trigger=exits  what=when PID 4242 exits  how=detached
     * watcher=5120  watchers=1  status_pending=1  status_fires=1718000700  status_note=PID 4242 (python) exited; ...
     * fired_fired=1718000700  fired_reason=...  fired_stop_rc=0  last=1718000700 6f1c2a fired: ...
     * </pre>
     *
     * @throws IllegalArgumentException when the report is not one (no now= or armed= line)
     */
    public static AutostopState parse(ShellResult r, Instant readAt) {
        Long now = number(r.value("now"));
        String armed = r.value("armed");
        if (now == null || armed == null) {
            throw new IllegalArgumentException("not an autostop status report");
        }
        String last = text(r.value("last"));
        if (!armed.equals("1")) {
            Integer strays = count(r.value("watchers"));
            return new AutostopState(
                    false,
                    false,
                    null,
                    null,
                    null,
                    null,
                    false,
                    strays == null ? 0 : strays,
                    false,
                    false,
                    null,
                    null,
                    null,
                    last,
                    readAt);
        }
        boolean pending = "1".equals(r.value("status_pending"));
        Long fires = number(r.value("status_fires"));
        Duration in = pending && fires != null ? Duration.ofSeconds(Math.max(0, fires - now)) : null;
        Fired fired = null;
        Long firedAt = number(r.value("fired_fired"));
        if (firedAt != null) {
            Long rc = number(r.value("fired_stop_rc"));
            fired = new Fired(
                    Instant.ofEpochSecond(firedAt),
                    text(r.value("fired_reason")),
                    text(r.value("fired_hook")),
                    text(r.value("fired_stop_cmd")),
                    rc == null ? null : (int) Math.min(255, rc),
                    text(r.value("fired_stop_out")));
        }
        Integer watchers = count(r.value("watchers"));
        String watcher = r.value("watcher");
        return new AutostopState(
                true,
                false,
                word(r.value("id")),
                word(r.value("trigger")),
                text(r.value("what")),
                word(r.value("how")),
                watcher != null && number(watcher) != null,
                watchers == null ? 0 : watchers,
                "1".equals(r.value("stale")),
                pending,
                in,
                text(r.value("status_note")),
                fired,
                last,
                readAt);
    }

    /** What a firing's reason says before the killer's own log line. */
    private static final java.util.regex.Pattern OOM_KILLED =
            java.util.regex.Pattern.compile(" was OOM-killed by (?:the kernel|systemd-oomd): (.+)$");

    /**
     * The kill a firing's reason quotes, read with the kill history's parser ({@link
     * io.colabtop.core.oom.KillLog}), or null when the watched process was not OOM-killed. The
     * watcher writes the killer's line after its words:
     * <pre>
     * PID 4242 (python) was OOM-killed by the kernel: Memory cgroup out of memory: Killed process 4242 (python) total-vm:...
     * PID 4242 (python) was OOM-killed by systemd-oomd: Killed /system.slice/train.service due to memory pressure for ...
     * </pre>
     * A quoted line the parser does not know still says who killed, with the line as the reason.
     */
    public static io.colabtop.core.oom.OomEvent oomKill(String reason) {
        if (reason == null) {
            return null;
        }
        java.util.regex.Matcher m = OOM_KILLED.matcher(reason);
        if (!m.find()) {
            return null;
        }
        String line = m.group(1);
        java.util.List<io.colabtop.core.oom.OomEvent> events =
                io.colabtop.core.oom.KillLog.parse(line, io.colabtop.core.oom.LogClock.UTC_NOW_UNKNOWN_BOOT);
        if (!events.isEmpty()) {
            return events.get(events.size() - 1);
        }
        boolean kernel = reason.contains(" was OOM-killed by the kernel: ");
        return new io.colabtop.core.oom.OomEvent(
                null,
                kernel
                        ? io.colabtop.core.oom.OomEvent.Killer.KERNEL
                        : io.colabtop.core.oom.OomEvent.Killer.SYSTEMD_OOMD,
                io.colabtop.core.oom.OomEvent.Constraint.UNKNOWN,
                line,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** Time left now: what was left when read, less the time since. */
    public Duration firesIn(Instant now) {
        if (firesIn == null) {
            return null;
        }
        Duration d = firesIn.minus(Duration.between(readAt, now));
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Armed, not fired, and its watcher gone: it will never fire. */
    public boolean broken() {
        return armed && fired == null && (!running || stale);
    }

    /**
     * One line for the table and the host view: "autostop: when PID 4242 exits", "autostop: idle
     * 30m (12m left)", "autostop fired: ...", "autostop armed, but its watcher is gone"; null when
     * nothing is armed.
     */
    public String describe(Instant now) {
        if (!armed) {
            return null;
        }
        String head = fromHere ? "autostop (from here)" : "autostop";
        if (fired != null) {
            return head + (fired.failed() ? " FAILED: " : " fired: ") + fired.describe();
        }
        if (stale) {
            return head + " from before the last boot: its watcher is gone (a re-arms it)";
        }
        if (!running) {
            return head + " armed, but its watcher is gone (a re-arms it)";
        }
        Duration left = firesIn(now);
        String w = what == null ? "armed" : what;
        if (left != null) {
            return head + ": " + w + " (" + AutostopRule.duration(round(left)) + " left)";
        }
        return head + ": " + w;
    }

    /** Whole minutes past a minute, whole seconds under one: "12m", "45s". */
    private static Duration round(Duration d) {
        return d.compareTo(Duration.ofMinutes(1)) >= 0
                ? Duration.ofMinutes((d.toSeconds() + 59) / 60)
                : Duration.ofSeconds(d.toSeconds());
    }

    private static Long number(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    private static Integer count(String s) {
        Long n = number(s == null ? null : s.strip());
        return n == null ? null : (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static String word(String s) {
        return s == null || !s.matches("[A-Za-z0-9._-]{1,64}") ? null : s;
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : SafeText.clip(s.strip(), MAX_TEXT);
    }
}
