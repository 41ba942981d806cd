package io.colabtop.app.tui.state;

import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    private boolean inverted;
    private String filter = "";
    private String selected;
    private int process;
    private ProcessSort processSort = ProcessSort.OOM;
    private boolean processInverted;
    private String processFilter = "";
    private boolean tree;

    /** A process as the host view lists it: in tree view, {@code depth} levels under its parent. */
    public record ProcessRow(ProcessInfo process, int depth) {}

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

    /** Hosts in display order: the filter's matches, sorted (see {@link FleetView#rows}). */
    public List<HostState> rows(VmLedger vms, Instant now) {
        List<HostState> rows = new ArrayList<>();
        String f = filter.toLowerCase(Locale.ROOT);
        for (HostState h : hosts.values()) {
            if (f.isEmpty()
                    || h.name().toLowerCase(Locale.ROOT).contains(f)
                    || vms.label(h.name()).toLowerCase(Locale.ROOT).contains(f)) {
                rows.add(h);
            }
        }
        rows.sort(sort.order(inverted, vms, now));
        return rows;
    }

    public SortMode sort() {
        return sort;
    }

    public boolean inverted() {
        return inverted;
    }

    public void sortBy(SortMode s) {
        sort = s;
    }

    public void invert() {
        inverted = !inverted;
    }

    /** Hosts whose name contains this (case-insensitive); empty shows all. */
    public String filter() {
        return filter;
    }

    public void setFilter(String f) {
        filter = f == null ? "" : f;
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

    /** Moves the host selection by {@code delta} rows of {@code rows} (what is shown), clamped. */
    public void moveSelection(int delta, List<HostState> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int i = (int) Math.max(0, Math.min(rows.size() - 1, (long) selectedIndex(rows) + delta));
        selected = rows.get(i).name();
    }

    /** Selects {@code name} (a click on its row); null selects nothing (a filter that matches no host). */
    public void select(String name) {
        if (name == null || hosts.containsKey(name)) {
            selected = name;
        }
    }

    /**
     * The first row shown when {@code body} rows fit: the window follows the selection, as htop's
     * does. Renderers and the mouse both use it, so a click lands on the row drawn there.
     */
    public int firstVisible(List<?> rows, int selectedIndex, int body) {
        int first = Math.max(0, Math.min(selectedIndex - body + 1, rows.size() - body));
        return Math.max(0, Math.min(first, selectedIndex));
    }

    // ---- the host view's processes

    /** The selected host's processes as the host view lists them: filtered, sorted, or as a tree. */
    public List<ProcessRow> processRows() {
        HostState h = selectedState();
        if (h == null || h.latest() == null) {
            return List.of();
        }
        String f = processFilter.toLowerCase(Locale.ROOT);
        List<ProcessInfo> shown = new ArrayList<>();
        for (ProcessInfo p : h.latest().processes()) {
            if (f.isEmpty()
                    || p.command().exact().toLowerCase(Locale.ROOT).contains(f)
                    || p.comm().exact().toLowerCase(Locale.ROOT).contains(f)
                    || p.user().exact().toLowerCase(Locale.ROOT).contains(f)
                    || Integer.toString(p.pid()).equals(f)) {
                shown.add(p);
            }
        }
        shown.sort(processSort.order(processInverted));
        if (!tree) {
            return shown.stream().map(p -> new ProcessRow(p, 0)).toList();
        }
        // a trainer and its data-loader workers read as one: children under their parent, siblings in
        // the sort's order; a process whose parent is not among these is a root
        Map<Integer, List<ProcessInfo>> children = new LinkedHashMap<>();
        java.util.Set<Integer> pids = new java.util.HashSet<>();
        shown.forEach(p -> pids.add(p.pid()));
        List<ProcessInfo> roots = new ArrayList<>();
        for (ProcessInfo p : shown) {
            if (p.ppid() != p.pid() && pids.contains(p.ppid())) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            } else {
                roots.add(p);
            }
        }
        List<ProcessRow> out = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (ProcessInfo r : roots) {
            addTree(r, 0, children, out, seen);
        }
        return out;
    }

    private static void addTree(
            ProcessInfo p,
            int depth,
            Map<Integer, List<ProcessInfo>> children,
            List<ProcessRow> out,
            java.util.Set<Integer> seen) {
        if (!seen.add(p.pid())) {
            return; // a ppid cycle in a host's answer must not loop for ever
        }
        out.add(new ProcessRow(p, depth));
        for (ProcessInfo c : children.getOrDefault(p.pid(), List.of())) {
            addTree(c, depth + 1, children, out, seen);
        }
    }

    /** The selected process's place in {@link #processRows()}, clamped. */
    public int processIndex() {
        return process;
    }

    public void moveProcess(int delta) {
        int n = processRows().size();
        process = (int) Math.max(0, Math.min(n - 1, (long) process + delta));
    }

    public void selectProcess(int index) {
        process = Math.max(0, index);
        moveProcess(0);
    }

    public void resetProcess() {
        process = 0;
    }

    /** The process selected in the host view, or null. */
    public ProcessInfo selectedProcess() {
        List<ProcessRow> rows = processRows();
        if (rows.isEmpty()) {
            return null;
        }
        return rows.get(Math.min(process, rows.size() - 1)).process();
    }

    public ProcessSort processSort() {
        return processSort;
    }

    public boolean processInverted() {
        return processInverted;
    }

    public void sortProcessesBy(ProcessSort s) {
        processSort = s;
    }

    public void invertProcesses() {
        processInverted = !processInverted;
    }

    public String processFilter() {
        return processFilter;
    }

    public void setProcessFilter(String f) {
        processFilter = f == null ? "" : f;
        moveProcess(0);
    }

    public boolean tree() {
        return tree;
    }

    public void toggleTree() {
        tree = !tree;
    }
}
