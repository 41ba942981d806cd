package io.colabtop.ssh;

import java.util.Locale;

/**
 * OpenSSH's host pattern lists (match.c, match_hostname and match_pattern_list), used by the host
 * field of known_hosts lines ({@code [10.0.0.5]:2222,*.corp.example,!bastion.corp.example}) and by
 * ssh_config {@code Match host} / {@code Match originalhost}: comma-separated globs where '*' is
 * any run of characters and '?' one character, compared without regard to case. A name matches
 * when some plain pattern matches it and no negated ('!') one does, so a list of only negated
 * patterns matches nothing. '[' and ']' are ordinary characters: {@code [host]:port} is matched as
 * the literal string OpenSSH looks up for a non-22 port.
 */
final class HostPatterns {
    private HostPatterns() {}

    static boolean matches(String name, String patternList) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean positive = false;
        for (String p : patternList.split(",", -1)) {
            boolean negated = p.startsWith("!");
            String glob = (negated ? p.substring(1) : p).toLowerCase(Locale.ROOT);
            if (glob(n, glob)) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    /** '*' and '?' globbing over the whole string, with backtracking to the last '*'. */
    static boolean glob(String s, String p) {
        int si = 0;
        int pi = 0;
        int star = -1;
        int afterStar = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                si++;
                pi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                afterStar = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++afterStar;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
