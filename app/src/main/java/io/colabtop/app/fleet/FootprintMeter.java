package io.colabtop.app.fleet;

import io.colabtop.core.Footprint;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Reads colabtop's own footprint through OSHI (what only it offers here: this JVM's process as the
 * OS sees it), each CPU share since the reading before. OSHI's first call takes ~100-300 ms:
 * read it off the UI thread.
 */
public final class FootprintMeter {
    private OperatingSystem os;
    private OSProcess last;

    /** @return null when OSHI cannot read this process (not Linux, /proc hidden) */
    public synchronized Footprint read() {
        try {
            if (os == null) {
                os = new SystemInfo().getOperatingSystem();
            }
            OSProcess now = os.getProcess(os.getProcessId());
            if (now == null) {
                return null;
            }
            double cpu = last == null ? -1 : 100 * now.getProcessCpuLoadBetweenTicks(last);
            last = now;
            return new Footprint(now.getResidentMemory(), now.getThreadCount(), cpu);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
