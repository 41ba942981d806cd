package io.colabtop.core;

import java.util.HashMap;
import java.util.Map;

/**
 * uid to name, from {@code /etc/passwd} lines like {@code sarah_example_com:x:1001:1002::/home/s:/bin/bash}.
 * Unknown uids show as the number, as {@code ps} does.
 */
public final class UserNames {
    private final Map<Integer, String> byUid;
    /** The text parsed, to know it again. */
    private final String passwd;

    private UserNames(Map<Integer, String> byUid, String passwd) {
        this.byUid = byUid;
        this.passwd = passwd;
    }

    /**
     * {@code last} itself when it was parsed from this very text, else {@code passwd} parsed: a
     * connection's /etc/passwd is sent every 60 ticks and kept in between, so a tick compares (the
     * same String: no work) instead of splitting hundreds of lines again.
     */
    public static UserNames parse(String passwd, UserNames last) {
        if (last != null && java.util.Objects.equals(last.passwd, passwd)) {
            return last;
        }
        return parse(passwd);
    }

    public static UserNames parse(String passwd) {
        Map<Integer, String> m = new HashMap<>();
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3) {
                    try {
                        m.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                    } catch (NumberFormatException ignored) {
                        // a comment or broken line
                    }
                }
            }
        }
        return new UserNames(Map.copyOf(m), passwd);
    }

    public String nameOf(int uid) {
        if (uid < 0) {
            return "?";
        }
        return byUid.getOrDefault(uid, Integer.toString(uid));
    }
}
