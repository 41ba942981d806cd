package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountEntryTest {
    @Test
    void fuseMountsFromARecordedProcMounts() {
        List<MountEntry> m = MountEntry.parseFuse(Fixtures.text("proc/mounts-with-fuse.txt"));
        assertEquals(List.of(new MountEntry("training-data", "/tmp/fz/mnt two", "fuse.rclone")), m);
        assertFalse(m.get(0).gcsfuse());
    }

    @Test
    void gcsfuseLineAndNothing() {
        List<MountEntry> m = MountEntry.parseFuse(
                "my-bucket /content/gcs fuse.gcsfuse rw,nosuid,nodev,relatime 0 0\n" + "/dev/sda1 / ext4 rw 0 0\n");
        assertEquals(1, m.size());
        assertTrue(m.get(0).gcsfuse());
        assertEquals(List.of(), MountEntry.parseFuse(null));
        assertEquals(List.of(), MountEntry.parseFuse("/dev/sda1 / ext4 rw 0 0\n"));
    }
}
