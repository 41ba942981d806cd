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
 * @param licences   the licences its disks carry (a premium image's surcharge): resource URLs
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
        Instant lastStart,
        List<String> licences) {

    public VmInfo {
        gpus = List.copyOf(gpus);
        disks = List.copyOf(disks);
        labels = Map.copyOf(labels);
        licences = licences == null ? List.of() : List.copyOf(licences);
    }

    /** A VM whose disks carry no licence. */
    public VmInfo(
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
        this(
                project,
                name,
                id,
                zone,
                status,
                machineType,
                gpus,
                disks,
                spot,
                labels,
                internalIp,
                externalIp,
                lastStart,
                List.of());
    }

    /** The same VM in another state (what a running stop or start reports). */
    public VmInfo withStatus(String newStatus) {
        return new VmInfo(
                project,
                name,
                id,
                zone,
                newStatus,
                machineType,
                gpus,
                disks,
                spot,
                labels,
                internalIp,
                externalIp,
                lastStart,
                licences);
    }

    public boolean running() {
        return status.equals("RUNNING");
    }

    /** Compute (machine, GPUs) bills until TERMINATED; disks bill regardless. */
    public boolean billingCompute() {
        return !status.equals("TERMINATED") && !status.equals("SUSPENDED");
    }

    /** What it is made of, for its price; an external IP still there on a stopped VM is a reserved one. */
    public VmShape shape() {
        VmShape.ExternalIp ip = externalIp == null
                ? VmShape.ExternalIp.NONE
                : billingCompute() ? VmShape.ExternalIp.IN_USE : VmShape.ExternalIp.RESERVED_WHILE_STOPPED;
        return new VmShape(machineType, gpus, disks, zone, spot, ip, licences);
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
