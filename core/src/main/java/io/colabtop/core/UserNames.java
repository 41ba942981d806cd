package io.colabtop.core;

import java.util.HashMap;
import java.util.Map;

/**
 * uid to name, from {@code /etc/passwd} lines like {@code sarah_example_com:x:1001:1002::/home/s:/bin/bash}.
 * Unknown uids show as the number, as {@code ps} does.
 */
public final class UserNames {
    private final Map<Integer, String> byUid;

    private UserNames(Map<Integer, String> byUid) {
        this.byUid = byUid;
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
        return new UserNames(Map.copyOf(m));
    }

    public String nameOf(int uid) {
        if (uid < 0) {
            return "?";
        }
        return byUid.getOrDefault(uid, Integer.toString(uid));
    }
}
