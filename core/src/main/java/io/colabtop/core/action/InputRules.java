package io.colabtop.core.action;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The values a user gives an action, checked before anything runs. Every one is also quoted
 * with {@link ShellQuote} on its way into a script; the rules here keep what reaches a host to
 * what a real value looks like, and make the error say what was wrong.
 */
public final class InputRules {
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/+@-]{0,254}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern OPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_=,.:/-]{0,200}");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    private InputRules() {}

    /** An absolute path of plain characters: letters, digits and {@code . _ / + @ -}, no "..". */
    public static String path(String what, String p) {
        if (p == null || !SAFE_PATH.matcher(p).matches()) {
            throw new IllegalArgumentException(what + " must be an absolute path of letters, digits and . _ / + @ - "
                    + "(got " + printable(p) + ")");
        }
        for (String part : p.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException(what + " must not contain '.' or '..' components (got " + p + ")");
            }
        }
        if (p.equals("/") || p.endsWith("/")) {
            throw new IllegalArgumentException(what + " must name a file or directory, not end in '/' (got " + p + ")");
        }
        return p;
    }

    /**
     * A Cloud Storage bucket name by Google's rules: 3-63 characters (up to 222 with dots, each
     * dot-separated part at most 63), lowercase letters, digits, '-', '_' and '.', starting and
     * ending with a letter or digit; not an IP address; no "goog" prefix, no "google" inside.
     */
    public static String bucket(String b) {
        String why = null;
        if (b == null || !BUCKET.matcher(b).matches()) {
            why = "use 3-63 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
        } else if (!b.contains(".") && b.length() > 63) {
            why = "at most 63 characters without dots";
        } else if (IPV4.matcher(b).matches()) {
            why = "it must not look like an IP address";
        } else if (b.startsWith("goog") || b.contains("google") || b.contains("g00gle")) {
            why = "names starting with 'goog' or containing 'google' are reserved";
        } else if (b.contains("..") || b.contains(".-") || b.contains("-.")) {
            why = "dots must separate non-empty parts";
        } else {
            for (String part : b.split("\\.")) {
                if (part.length() > 63) {
                    why = "each dot-separated part is at most 63 characters";
                }
            }
        }
        if (why != null) {
            throw new IllegalArgumentException("'" + printable(b) + "' is not a valid bucket name: " + why);
        }
        return b;
    }

    /** A gcsfuse option such as {@code allow_other} or {@code uid=1000}. */
    public static String mountOption(String o) {
        if (o == null || !OPTION.matcher(o).matches()) {
            throw new IllegalArgumentException("mount option " + printable(o) + " has characters other than letters, "
                    + "digits and _ = , . : / -");
        }
        return o;
    }

    public static int oomScoreAdj(int adj) {
        if (adj < -1000 || adj > 1000) {
            throw new IllegalArgumentException("oom_score_adj must be between -1000 and 1000, not " + adj);
        }
        return adj;
    }

    /** "8G", "512M", "1.5GiB", "1048576" (bytes) to bytes, 1024-based. */
    public static long size(String s) {
        java.util.regex.Matcher m = s == null ? null : SIZE.matcher(s.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("size " + printable(s) + " is not like 8G, 512M or 1.5G");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        double bytes = v * (1L << shift);
        if (bytes < 1 || bytes > (1L << 50)) {
            throw new IllegalArgumentException("size " + s + " is out of range");
        }
        return (long) bytes;
    }

    static String printable(String s) {
        if (s == null) {
            return "nothing";
        }
        return "'" + io.colabtop.core.Printable.clip(s, 60) + "'";
    }
}
