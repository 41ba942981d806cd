package io.colabtop.core.cost;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A GCE instance as colabtop uses it: where it is, what it is made of (for its price), how to
 * reach it, and since when it has been running (lastStartTimestamp).
 *
 * @param status     PROVISIONING, STAGING, RUNNING, STOPPING, SUSPENDED, TERMINATED…
 * @param lastStart  null when the API gives none (never started)
 */
public record VmInfo(
        String project,
        String name,
        long id,
        String zone,
        String status,
        String machineType,
        List<VmShape.GpuCount> gpus,
        List<VmShape.Disk> disks,
        boolean spot,
        Map<String, String> labels,
        String internalIp,
        String externalIp,
        Instant lastStart) {

    public VmInfo {
        gpus = List.copyOf(gpus);
        disks = List.copyOf(disks);
        labels = Map.copyOf(labels);
    }

    public boolean running() {
        return status.equals("RUNNING");
    }

    /** Compute (machine, GPUs) bills until TERMINATED; disks bill regardless. */
    public boolean billingCompute() {
        return !status.equals("TERMINATED") && !status.equals("SUSPENDED");
    }

    public VmShape shape() {
        return new VmShape(machineType, gpus, disks, zone, spot);
    }

    /**
     * The VM's name in colabtop's fleet: {@code NAME.ZONE.PROJECT}, the alias {@code gcloud compute
     * config-ssh} writes. Two VMs may share a name in two zones or projects; they never share this.
     */
    public String hostName() {
        return name + "." + zone + "." + project;
    }

    /** gcloud's name for the host key: compute.INSTANCE_ID. */
    public String hostKeyAlias() {
        return "compute." + Long.toUnsignedString(id);
    }
}
