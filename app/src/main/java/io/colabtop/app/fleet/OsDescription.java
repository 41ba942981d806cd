package io.colabtop.app.fleet;

import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/** OS and kernel of this machine, from OSHI (read once: it does not change while we run). */
final class OsDescription {
    private static volatile String cached;

    private OsDescription() {
    }

    static String get() {
        String s = cached;
        if (s == null) {
            try {
                OperatingSystem os = new SystemInfo().getOperatingSystem();
                s = os.getFamily() + " " + os.getVersionInfo().getVersion() + " (kernel "
                        + os.getVersionInfo().getBuildNumber() + ")";
            } catch (RuntimeException | LinkageError e) {
                s = System.getProperty("os.name") + " " + System.getProperty("os.version");
            }
            cached = s;
        }
        return s;
    }
}
