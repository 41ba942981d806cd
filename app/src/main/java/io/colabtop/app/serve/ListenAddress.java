package io.colabtop.app.serve;

import io.colabtop.core.Printable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where {@code serve} listens: {@code 127.0.0.1:9473} (the default: this machine only),
 * {@code [::1]:9473}, {@code localhost:9473}, {@code 0.0.0.0:9473} or {@code :9473} (every
 * interface: a choice the user makes by typing it). IP literals and {@code localhost} only, so no
 * name lookup decides where the fleet's metrics are served. Port 0 picks a free port.
 */
public final class ListenAddress {
    public static final String DEFAULT = "127.0.0.1:9473";

    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ListenAddress() {}

    /** @throws IllegalArgumentException saying what is wrong and what is expected */
    public static InetSocketAddress parse(String s) {
        int colon = s == null ? -1 : s.lastIndexOf(':');
        if (colon < 0) {
            throw bad(s, "no port");
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535) {
            throw bad(s, "the port must be a number from 0 to 65535");
        }
        int port = Integer.parseInt(portText);
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String literal = bracketed ? host.substring(1, host.length() - 1) : host;
        try {
            if (host.equals("localhost")) {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            }
            if ((bracketed && V6.matcher(literal).matches() && literal.contains(":"))
                    || (!bracketed && V4.matcher(literal).matches())) {
                return new InetSocketAddress(InetAddress.getByName(literal), port); // a literal: no lookup
            }
        } catch (UnknownHostException e) {
            throw bad(s, "not an IP address");
        }
        throw bad(s, "the address must be an IP literal (127.0.0.1, [::1], 0.0.0.0) or localhost");
    }

    /** Reachable from other machines: anything but a loopback address. */
    public static boolean exposed(InetSocketAddress a) {
        return !a.getAddress().isLoopbackAddress();
    }

    /** As a URL's authority: {@code 127.0.0.1:9473}, {@code [::1]:9473}. */
    public static String authority(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip.getHostAddress();
        if (ip.isAnyLocalAddress()) {
            host = ip instanceof java.net.Inet6Address ? "[::]" : "0.0.0.0";
        } else if (ip instanceof java.net.Inet6Address) {
            host = "[" + host.replaceFirst("%.*", "") + "]";
        }
        return host + ":" + a.getPort();
    }

    private static IllegalArgumentException bad(String s, String why) {
        return new IllegalArgumentException("--listen " + Printable.clip(String.valueOf(s), 60) + ": " + why
                + " (expected HOST:PORT, e.g. " + DEFAULT + ", [::1]:9473 or :9473 for every interface)");
    }
}
