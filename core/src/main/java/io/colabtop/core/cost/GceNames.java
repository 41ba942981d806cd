package io.colabtop.core.cost;

import java.util.regex.Pattern;

/**
 * The shapes of Compute Engine names, by Google's rules: what a user may type (a project, a zone,
 * a VM) and what colabtop accepts from the API before it puts a name in a row, a plan or an SSH
 * target. An API answer that does not fit (a proxy, a bug, an attack) is refused there.
 */
public final class GceNames {
    /** Project ids: 6-30 lowercase letters, digits, hyphens; older domain-scoped ids hold '.' and ':'. */
    public static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z][a-z0-9.:-]{3,60}");
    /** us-central1-a, europe-west4-b, me-central2-c. */
    public static final Pattern ZONE = Pattern.compile("[a-z]+-[a-z]+[0-9]+-[a-z]");
    /** RFC 1035 labels of at most 63 characters, as instance names are. */
    public static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Machine, GPU and disk type names: n1-standard-8, nvidia-tesla-v100, pd-balanced, hyperdisk-ml. */
    public static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** What the API says an instance is doing. */
    public static final java.util.Set<String> STATUSES = java.util.Set.of(
            "PROVISIONING",
            "STAGING",
            "RUNNING",
            "STOPPING",
            "STOPPED",
            "SUSPENDING",
            "SUSPENDED",
            "REPAIRING",
            "TERMINATED",
            "PENDING_STOP");

    private GceNames() {}

    public static boolean matches(Pattern p, String s) {
        return s != null && p.matcher(s).matches();
    }
}
