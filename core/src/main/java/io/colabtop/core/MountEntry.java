package io.colabtop.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A FUSE mount from {@code /proc/mounts}, where gcsfuse shows as
 * {@code training-data /content/gcs fuse.gcsfuse rw,nosuid,nodev,relatime,user_id=0,group_id=0 0 0}.
 * Paths use the kernel's octal escapes (\040 for a space), decoded here.
 */
public record MountEntry(HostText device, HostText mountPoint, HostText type) {

    public MountEntry(String device, String mountPoint, String type) {
        this(HostText.of(device), HostText.of(mountPoint), HostText.of(type, 64));
    }

    public boolean gcsfuse() {
        return type.exact().equals("fuse.gcsfuse");
    }

    /** The FUSE mounts (type fuse.*) in a /proc/mounts text. */
    public static List<MountEntry> parseFuse(String procMounts) {
        List<MountEntry> out = new ArrayList<>();
        if (procMounts == null) {
            return out;
        }
        for (String line : procMounts.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 3 && f[2].startsWith("fuse.")) {
                out.add(new MountEntry(SwapArea.unescape(f[0]), SwapArea.unescape(f[1]), f[2]));
            }
        }
        return List.copyOf(out);
    }
}
