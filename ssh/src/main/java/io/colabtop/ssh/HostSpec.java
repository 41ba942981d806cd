package io.colabtop.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the user typed for a host: {@code [user@]host[:port]}, {@code [user@][v6addr]:port}, or
 * an ssh_config alias. Validated strictly: these strings end up in an SSH connection and in
 * messages, and nothing looser is ever needed for a real host name.
 */
public record HostSpec(String user, String host, int port) {
    private static final Pattern SPEC = Pattern.compile(
            "(?:(?<user>[A-Za-z0-9._][A-Za-z0-9._-]{0,63})@)?(?:\\[(?<v6>[0-9A-Fa-f:.%a-z]{2,60})]|(?<host>[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,252})))(?::(?<port>[0-9]{1,5}))?");

    /** @throws IllegalArgumentException with a message fit for the user */
    public static HostSpec parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + printable(spec) + "' is not a host: expected [user@]host[:port], "
                    + "[user@][ipv6]:port or an ssh_config alias (letters, digits, '.', '-', '_')");
        }
        int port = 0;
        if (m.group("port") != null) {
            port = Integer.parseInt(m.group("port"));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range 1-65535 in '" + spec + "'");
            }
        }
        String host = m.group("v6") != null ? m.group("v6") : m.group("host");
        if (host.startsWith("-") || host.startsWith(".")) {
            throw new IllegalArgumentException("'" + spec + "': a host name cannot start with '-' or '.'");
        }
        return new HostSpec(m.group("user"), host, port);
    }

    /** Shows control characters as '?' so an error message cannot rewrite the terminal. */
    static String printable(String s) {
        return io.colabtop.core.Printable.clip(s, 80);
    }
}
