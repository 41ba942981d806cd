package io.colabtop.app.tui.state;

import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.ProcessInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts on screen: what is known of each, the order they are shown in, which one is selected
 * (and, in its host view, which process). The selection follows the host, not the position, when
 * the order changes.
 */
public final class HostTable {
    private final Map<String, HostState> hosts = new LinkedHashMap<>();
    private final Duration interval;
    private SortMode sort = SortMode.NAME;
    private String selected;
    private int process;

    public HostTable(List<String> names, Duration interval) {
        names.forEach(this::add);
        this.interval = interval;
    }

    /** Adds a host found after start (a discovered VM); the first host is selected. */
    public void add(String name) {
        hosts.putIfAbsent(name, HostState.pending(name));
        if (selected == null) {
            selected = name;
        }
    }

    /** Applies one poll's outcome; returns the new state, or null for a host not in the table. */
    public HostState apply(HostUpdate u) {
        HostState cur = hosts.get(u.host());
        if (cur == null) {
            return null;
        }
        HostState next = u.applyTo(cur);
        hosts.put(u.host(), next);
        return next;
    }

    public HostState get(String name) {
        return hosts.get(name);
    }

    public int size() {
        return hosts.size();
    }

    public Duration interval() {
        return interval;
    }

    /** Hosts in display order. */
    public List<HostState> rows() {
        List<HostState> rows = new ArrayList<>(hosts.values());
        rows.sort(sort.order());
        return rows;
    }

    public SortMode sort() {
        return sort;
    }

    public void cycleSort() {
        sort = sort.next();
    }

    public String selected() {
        return selected;
    }

    public HostState selectedState() {
        return selected == null ? null : hosts.get(selected);
    }

    /** The selected host's place in {@code rows} (already in display order: a frame sorts once). */
    public int selectedIndex(List<HostState> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).name().equals(selected)) {
                return i;
            }
        }
        return 0;
    }

    /** Moves the host selection by {@code delta} rows, clamped to the table. */
    public void moveSelection(int delta) {
        List<HostState> rows = rows();
        if (rows.isEmpty()) {
            return;
        }
        int i = (int) Math.max(0, Math.min(rows.size() - 1, (long) selectedIndex(rows) + delta));
        selected = rows.get(i).name();
    }

    /** The selected process of the selected host, next victim first, clamped. */
    public int processIndex() {
        return process;
    }

    public void moveProcess(int delta) {
        HostState h = selectedState();
        int n = h == null || h.latest() == null ? 0 : h.latest().processes().size();
        process = (int) Math.max(0, Math.min(n - 1, (long) process + delta));
    }

    public void resetProcess() {
        process = 0;
    }

    /** The process selected in the host view, or null. */
    public ProcessInfo selectedProcess() {
        HostState h = selectedState();
        if (h == null || h.latest() == null || h.latest().processes().isEmpty()) {
            return null;
        }
        List<ProcessInfo> ps = h.latest().processes();
        return ps.get(Math.min(process, ps.size() - 1));
    }
}
