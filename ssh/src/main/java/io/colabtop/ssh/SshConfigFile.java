package io.colabtop.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * The settings ssh_config gives one host. Apache MINA's {@link HostConfigEntry} parses Host blocks
 * and merges them in file order, first value winning as in OpenSSH; but it refuses a whole file
 * that has a {@code Match} block ("Currently not able to process Match sections"), and reads
 * {@code Include} as an ordinary setting. So the file is rewritten for the host first, line for line:
 * <ul>
 * <li>{@code Match all}, {@code Match host PATTERNS} (the HostName set so far, else the name given),
 *     {@code Match originalhost PATTERNS}, {@code Match user PATTERNS}, {@code Match localuser PATTERNS},
 *     each negatable with '!' and combined with AND (readconf.c match_cfg_line): a block that
 *     applies becomes {@code Host *}, one that does not is commented out;</li>
 * <li>any other criterion ({@code exec}, {@code canonical}, {@code final}, {@code localnetwork},
 *     {@code tagged}, ...) cannot be evaluated here: its block is commented out and a warning says so,
 *     naming the settings it would have made;</li>
 * <li>{@code Include FILE...} (globs; relative to ~/.ssh) is read in place when the block it sits in
 *     applies, as OpenSSH does, then the including block is reopened.</li>
 * </ul>
 * A sample of what is rewritten: {@code Match host 10.0.* user sarah} / {@code   ProxyJump bastion}.
 */
final class SshConfigFile {
    /** OpenSSH's READCONF_MAX_DEPTH. */
    private static final int MAX_INCLUDE_DEPTH = 16;

    /**
     * What one run has read: each file's lines (ssh_config and what it includes) and MINA's parse of
     * each rewritten text. A fleet of 100 hosts read and parsed the same file 100 times (115-379 ms);
     * the rewrite for a host without Match blocks is the same text for every host, so it is parsed
     * once. Read once per run: an edit to ssh_config is seen by the next run, as a long-running ssh
     * ControlMaster sees it.
     */
    static final class Reads {
        private final Map<Path, List<String>> lines = new ConcurrentHashMap<>();
        private final Map<String, List<HostConfigEntry>> parsed = new ConcurrentHashMap<>();

        List<String> lines(Path path) throws IOException {
            List<String> l = lines.get(path);
            if (l == null) {
                l = List.copyOf(Files.readAllLines(path, StandardCharsets.UTF_8));
                lines.put(path, l);
            }
            return l;
        }

        List<HostConfigEntry> parsed(String text) throws IOException {
            List<HostConfigEntry> e = parsed.get(text);
            if (e == null) {
                e = List.copyOf(HostConfigEntry.readHostConfigEntries(new BufferedReader(new StringReader(text))));
                parsed.put(text, e);
            }
            return e;
        }
    }

    private final Reads reads;

    private final Path file;
    private final Path sshDir;
    private final String host;
    private final String user;
    private final String localUser;
    private final Consumer<String> warnings;
    private final StringBuilder out = new StringBuilder();
    /** Whether the lines being read apply to the host (false inside a Match block that does not). */
    private boolean active = true;
    /** Whether an Include here is read: the block applies (a Host block judged as OpenSSH judges it). */
    private boolean includeHere = true;
    /** The header of the block being read ("Host ..." or the rewritten "Host *"), null before the first. */
    private String header;

    private SshConfigFile(
            Reads reads,
            Path file,
            Path sshDir,
            String host,
            String user,
            String localUser,
            Consumer<String> warnings) {
        this.reads = reads;
        this.file = file;
        this.sshDir = sshDir;
        this.host = host;
        this.user = user;
        this.localUser = localUser;
        this.warnings = warnings;
    }

    /**
     * The merged entry for {@code host} as typed (an alias or an address), or null when no block
     * names it. Defaults are not filled in: a null HostName or User means ssh_config does not set it.
     *
     * @param user the user typed with the host (user@host), or null
     * @throws IOException when the file cannot be read or MINA cannot parse what is left of it
     */
    static HostConfigEntry effective(
            Path file, Path sshDir, String host, String user, String localUser, Consumer<String> warnings)
            throws IOException {
        return effective(new Reads(), file, sshDir, host, user, localUser, warnings);
    }

    /** The same, reading files and parsing through {@code reads} (one per run: see {@link Reads}). */
    static HostConfigEntry effective(
            Reads reads, Path file, Path sshDir, String host, String user, String localUser, Consumer<String> warnings)
            throws IOException {
        SshConfigFile f = new SshConfigFile(reads, file, sshDir, host, user, localUser, warnings);
        f.read(file, 0);
        return f.merged(f.out.toString());
    }

    private HostConfigEntry merged(String text) throws IOException {
        List<HostConfigEntry> entries = reads.parsed(text);
        List<HostConfigEntry> matching = HostConfigEntry.findMatchingEntries(host, entries);
        if (matching.isEmpty()) {
            return null;
        }
        HostConfigEntry e = new HostConfigEntry();
        matching.forEach(e::collate);
        return e;
    }

    private void read(Path path, int depth) throws IOException {
        List<String> lines = reads.lines(path);
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String where = path + " line " + (i + 1);
            List<String> words = words(raw);
            String keyword = words.isEmpty() ? "" : words.get(0).toLowerCase(Locale.ROOT);
            switch (keyword) {
                case "host" -> {
                    header = raw.strip();
                    active = true; // MINA decides whether a Host block applies
                    includeHere = HostPatterns.matches(host, String.join(",", words.subList(1, words.size())));
                    emit(raw);
                }
                case "match" -> match(where, raw, words.subList(1, words.size()), lines, i);
                case "include" -> {
                    emit("# " + raw);
                    if (active && includeHere) {
                        include(where, words.subList(1, words.size()), depth);
                    }
                }
                default -> emit(active ? raw : "# " + raw);
            }
        }
    }

    private void emit(String line) {
        out.append(line).append('\n');
    }

    private void match(String where, String raw, List<String> criteria, List<String> lines, int at) throws IOException {
        String verdict = evaluate(criteria);
        if (verdict.equals("yes")) {
            header = "Host *";
            active = true;
            includeHere = true;
            emit(header + " # " + raw.strip());
            return;
        }
        active = false;
        includeHere = false;
        header = null;
        emit("# " + raw);
        if (!verdict.equals("no")) {
            warnings.accept(where + ": '" + HostSpec.printable(raw.strip()) + "' is not supported by colabtop ("
                    + verdict + "): the block is ignored" + settingsOf(lines, at));
        }
    }

    /** "yes", "no", or why the criteria cannot be evaluated here. */
    private String evaluate(List<String> criteria) throws IOException {
        if (criteria.isEmpty()) {
            return "no criteria";
        }
        boolean result = true;
        for (int i = 0; i < criteria.size(); i++) {
            String c = criteria.get(i).toLowerCase(Locale.ROOT);
            boolean negated = c.startsWith("!");
            String attr = negated ? c.substring(1) : c;
            boolean matched;
            if (attr.equals("all")) {
                if (criteria.size() != 1) {
                    return "'all' must be alone";
                }
                matched = true;
            } else if (List.of("host", "originalhost", "user", "localuser").contains(attr)) {
                if (i + 1 >= criteria.size()) {
                    return "'" + attr + "' needs patterns";
                }
                String patterns = criteria.get(++i);
                String subject = switch (attr) {
                    case "host" -> hostNameSoFar();
                    case "originalhost" -> host;
                    case "user" -> userSoFar();
                    default -> localUser;
                };
                matched = HostPatterns.matches(subject, patterns);
            } else {
                return "criterion '" + HostSpec.printable(attr) + "'";
            }
            result &= negated != matched;
        }
        return result ? "yes" : "no";
    }

    /** OpenSSH matches 'Match host' against the HostName set by the lines above, else the name given. */
    private String hostNameSoFar() throws IOException {
        HostConfigEntry e = merged(out.toString());
        return e != null && e.getHostName() != null && !e.getHostName().isBlank()
                ? e.getHostName().replace("%h", host)
                : host;
    }

    private String userSoFar() throws IOException {
        if (user != null) {
            return user;
        }
        HostConfigEntry e = merged(out.toString());
        return e != null && e.getUsername() != null && !e.getUsername().isBlank() ? e.getUsername() : localUser;
    }

    /** " (it sets ProxyJump, User)" for the lines of the block starting at {@code at}. */
    private static String settingsOf(List<String> lines, int at) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = at + 1; i < lines.size(); i++) {
            List<String> w = words(lines.get(i));
            if (w.isEmpty()) {
                continue;
            }
            if (w.get(0).equalsIgnoreCase("host") || w.get(0).equalsIgnoreCase("match")) {
                break;
            }
            keys.add(HostSpec.printable(w.get(0)));
        }
        return keys.isEmpty() ? "" : " (it sets " + String.join(", ", keys) + ")";
    }

    private void include(String where, List<String> patterns, int depth) throws IOException {
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new IOException(where + ": Include nested deeper than " + MAX_INCLUDE_DEPTH);
        }
        String reopen = header;
        for (String p : patterns) {
            for (Path f : glob(p)) {
                read(f, depth + 1);
            }
        }
        // back in the including block (or the top of the file, which applies to every host)
        header = reopen;
        active = true;
        includeHere = true;
        emit(reopen != null ? reopen : "Host *");
    }

    /** Include's argument: ~ expanded, relative to ~/.ssh, '*' and '?' in the last part, sorted as glob(3) sorts. */
    private List<Path> glob(String pattern) throws IOException {
        String p = pattern.startsWith("~/")
                ? sshDir.getParent().resolve(pattern.substring(2)).toString()
                : pattern;
        Path path = sshDir.resolve(p);
        String name = path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?")) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(path.getParent())) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent())) {
                for (Path f : ds) {
                    String n = f.getFileName().toString();
                    if (!n.startsWith(".") && HostPatterns.glob(n, name) && Files.isRegularFile(f)) {
                        found.add(f);
                    }
                }
            }
        }
        found.sort(null);
        return found;
    }

    /** The words of a config line, as OpenSSH splits them: whitespace or one '=' after the keyword, "double quotes" kept together. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return words;
        }
        int eq = t.indexOf('=');
        int sp = indexOfWhitespace(t);
        if (eq > 0 && (sp < 0 || eq < sp)) {
            words.add(t.substring(0, eq).strip());
            t = t.substring(eq + 1);
        }
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any) {
                    words.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else if (!quoted && c == '#' && !any) {
                break; // a comment after the values
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
