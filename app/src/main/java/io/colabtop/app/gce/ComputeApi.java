package io.colabtop.app.gce;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.compute.v1.AcceleratorConfig;
import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.AggregatedListDisksRequest;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.Disk;
import com.google.cloud.compute.v1.DisksClient;
import com.google.cloud.compute.v1.DisksScopedList;
import com.google.cloud.compute.v1.DisksSettings;
import com.google.cloud.compute.v1.GetZoneOperationRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.RegionDisksClient;
import com.google.cloud.compute.v1.RegionDisksSettings;
import com.google.cloud.compute.v1.StartInstanceRequest;
import com.google.cloud.compute.v1.StopInstanceRequest;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import io.colabtop.core.HostException;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.GceNames;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.cost.VmShape;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real google-cloud-compute client (REST), with colabtop's own bounds: every call has a
 * total timeout (the library default is 600 s with retries) and operations are polled by us,
 * at a fixed pace, up to a limit (the library's default polling goes on for 10 minutes).
 * {@code COLABTOP_COMPUTE_ENDPOINT} points it elsewhere; a loopback endpoint uses no credentials.
 */
public final class ComputeApi implements AutoCloseable {
    public static final String ENDPOINT_ENV = "COLABTOP_COMPUTE_ENDPOINT";

    private final InstancesClient instances;
    private final DisksClient disks;
    private final RegionDisksClient regionDisks;
    private final ZoneOperationsClient operations;

    /** How often an operation is polled: Google's own tools poll every few seconds. */
    static final Duration POLL_EVERY = Duration.ofSeconds(2);

    private Duration pollEvery = POLL_EVERY;

    /**
     * How often {@link #await(String, String, Operation, Duration, Consumer)} polls: the test
     * server's operations change state at once, and a suite waiting 2 s a poll spent half its time
     * asleep. {@code -Dcolabtop.compute.pollEvery=PT0.05S} sets it for a whole JVM (the CLI tests).
     */
    public ComputeApi pollEvery(Duration every) {
        this.pollEvery = every;
        return this;
    }

    private ComputeApi(
            InstancesClient instances,
            DisksClient disks,
            RegionDisksClient regionDisks,
            ZoneOperationsClient operations) {
        this.instances = instances;
        this.disks = disks;
        this.regionDisks = regionDisks;
        this.operations = operations;
    }

    /** @param endpoint null for Google's (or {@value #ENDPOINT_ENV} when set) */
    public static ComputeApi create(String endpoint, Duration callTimeout) throws HostException {
        String ep = endpoint != null ? endpoint : System.getenv(ENDPOINT_ENV);
        if (ep == null) {
            ep = System.getProperty("colabtop.compute.endpoint"); // tests: a JVM cannot set its own environment
        }
        CredentialsProvider creds = credentials(ep);
        RetrySettings retry = RetrySettings.newBuilder()
                .setInitialRetryDelayDuration(Duration.ofMillis(250))
                .setRetryDelayMultiplier(2)
                .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                .setInitialRpcTimeoutDuration(callTimeout)
                .setRpcTimeoutMultiplier(1)
                .setMaxRpcTimeoutDuration(callTimeout)
                .setTotalTimeoutDuration(callTimeout)
                .setMaxAttempts(2)
                .build();
        try {
            InstancesSettings.Builder ib = InstancesSettings.newBuilder().setCredentialsProvider(creds);
            DisksSettings.Builder db = DisksSettings.newBuilder().setCredentialsProvider(creds);
            RegionDisksSettings.Builder rdb = RegionDisksSettings.newBuilder().setCredentialsProvider(creds);
            ZoneOperationsSettings.Builder ob =
                    ZoneOperationsSettings.newBuilder().setCredentialsProvider(creds);
            if (ep != null) {
                ib.setEndpoint(ep);
                db.setEndpoint(ep);
                rdb.setEndpoint(ep);
                ob.setEndpoint(ep);
            }
            ib.aggregatedListSettings().setRetrySettings(retry);
            ib.getSettings().setRetrySettings(retry);
            // stop/start are not idempotent to retry blindly: one attempt, bounded
            RetrySettings once = retry.toBuilder().setMaxAttempts(1).build();
            ib.stopSettings().setRetrySettings(once);
            ib.startSettings().setRetrySettings(once);
            db.aggregatedListSettings().setRetrySettings(retry);
            db.getSettings().setRetrySettings(retry);
            rdb.getSettings().setRetrySettings(retry);
            ob.getSettings().setRetrySettings(retry);
            ComputeApi api = new ComputeApi(
                    InstancesClient.create(ib.build()),
                    DisksClient.create(db.build()),
                    RegionDisksClient.create(rdb.build()),
                    ZoneOperationsClient.create(ob.build()));
            String poll = System.getProperty("colabtop.compute.pollEvery");
            return poll == null ? api : api.pollEvery(Duration.parse(poll));
        } catch (IOException e) {
            throw new HostException("cannot create the Compute client: " + e.getMessage(), e);
        }
    }

    static boolean isLoopback(String endpoint) {
        return endpoint != null
                && (endpoint.startsWith("http://127.0.0.1")
                        || endpoint.startsWith("http://localhost")
                        || endpoint.startsWith("http://[::1]"));
    }

    private static CredentialsProvider credentials(String endpoint) throws HostException {
        if (isLoopback(endpoint)) {
            return NoCredentialsProvider.create();
        }
        try {
            GoogleCredentials c = GoogleCredentials.getApplicationDefault()
                    .createScoped(List.of("https://www.googleapis.com/auth/compute"));
            return FixedCredentialsProvider.create(c);
        } catch (IOException e) {
            throw new HostException(
                    "no Google credentials: run 'gcloud auth application-default login', or set "
                            + "GOOGLE_APPLICATION_CREDENTIALS to a service account key file (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Pages of one aggregated list read at most. A project's instances fit in a few pages (500 per
     * page); a server that keeps answering with a next page (or the same token again) would
     * otherwise keep colabtop listing forever.
     */
    static final int MAX_PAGES = 100;

    private int maxPages = MAX_PAGES;

    /** A lower page bound (tests: reaching 100 pages of the local server takes 5 s for nothing). */
    public ComputeApi maxPages(int pages) {
        this.maxPages = pages;
        return this;
    }

    /**
     * A project's instances, as far as the API could list them.
     *
     * @param unreachable zones the API said it could not reach: VMs there are missing from the list
     * @param warnings    anything else worth saying (disk types unknown, an instance left out)
     */
    public record Listing(List<VmInfo> vms, List<String> unreachable, List<String> warnings) {
        public Listing {
            vms = List.copyOf(vms);
            unreachable = List.copyOf(unreachable);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Every instance of the project, all zones, with disk types joined in. Listing the disks is
     * best effort: when it fails (a permission the credentials lack, a broken page) the instances
     * are still listed, their disks with the type unknown and the reason.
     */
    public Listing list(String project) throws HostException {
        List<String> warnings = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        Map<String, Disk> diskBySelfLink = new HashMap<>();
        String diskProblem = null;
        try {
            PageBound diskPages = new PageBound("disks of " + project, maxPages);
            for (DisksClient.AggregatedListPage page : disks.aggregatedList(AggregatedListDisksRequest.newBuilder()
                            .setProject(project)
                            .setReturnPartialSuccess(true)
                            .build())
                    .iteratePages()) {
                diskPages.next(page.getNextPageToken());
                for (Map.Entry<String, DisksScopedList> e : page.getValues()) {
                    e.getValue().getDisksList().forEach(d -> diskBySelfLink.put(d.getSelfLink(), d));
                }
            }
        } catch (ApiException e) {
            diskProblem = "cannot list disks: "
                    + explain("list disks of " + project, e).getMessage();
        } catch (HostException e) {
            diskProblem = e.getMessage();
        }
        if (diskProblem != null) {
            warnings.add("disk types unknown, disks not priced (" + SafeText.clip(diskProblem, 300) + ")");
        }
        try {
            List<VmInfo> out = new ArrayList<>();
            PageBound pages = new PageBound("instances of " + project, maxPages);
            for (InstancesClient.AggregatedListPage page : instances
                    .aggregatedList(AggregatedListInstancesRequest.newBuilder()
                            .setProject(project)
                            .setReturnPartialSuccess(true)
                            .build())
                    .iteratePages()) {
                pages.next(page.getNextPageToken());
                for (String u : page.getResponse().getUnreachablesList()) {
                    unreachable(unreachable, last(u));
                }
                for (Map.Entry<String, InstancesScopedList> e : page.getValues()) {
                    InstancesScopedList scoped = e.getValue();
                    if (scoped.hasWarning() && scoped.getWarning().getCode().equals("UNREACHABLE")) {
                        unreachable(unreachable, last(e.getKey()));
                    } else if (scoped.hasWarning()
                            && !scoped.getWarning().getCode().equals("NO_RESULTS_ON_PAGE")) {
                        warnings.add(SafeText.clip(
                                e.getKey() + ": " + scoped.getWarning().getCode() + " "
                                        + scoped.getWarning().getMessage(),
                                300));
                    }
                    for (Instance i : scoped.getInstancesList()) {
                        String problem = diskProblem;
                        VmInfo v = toVm(
                                project,
                                i,
                                link -> {
                                    Disk d = diskBySelfLink.get(link);
                                    if (d == null && problem == null) {
                                        throw new DiskUnknown(
                                                "not in the project's disk list (deleted, or in another project)");
                                    }
                                    if (d == null) {
                                        throw new DiskUnknown(problem);
                                    }
                                    return d;
                                },
                                warnings::add);
                        if (v != null) {
                            out.add(v);
                        }
                    }
                }
            }
            return new Listing(out, unreachable, warnings);
        } catch (ApiException e) {
            throw explain("list instances of " + project, e);
        }
    }

    /** A zone (or region) name the API reported unreachable, if it has the shape of one, once. */
    private static void unreachable(List<String> out, String zone) {
        String z = GceNames.matches(GceNames.ZONE, zone) || zone.matches("[a-z]+-[a-z]+[0-9]+")
                ? zone
                : SafeText.clip(zone, 40);
        if (!out.contains(z)) {
            out.add(z);
        }
    }

    /** Why a disk's type could not be read: the disk is priced as unknown, never the VM's listing failed. */
    static final class DiskUnknown extends RuntimeException {
        DiskUnknown(String why) {
            super(why, null, false, false);
        }
    }

    /** Where toVm finds an attached disk's full record by its URL; throws DiskUnknown when it cannot. */
    interface DiskLookup {
        Disk find(String selfLink);
    }

    /** Counts pages and remembers tokens: a repeated or endless nextPageToken ends the listing with an error. */
    private static final class PageBound {
        private final String what;
        private final int max;
        private final java.util.Set<String> tokens = new java.util.HashSet<>();
        private int pages;

        PageBound(String what, int max) {
            this.what = what;
            this.max = max;
        }

        void next(String nextToken) throws HostException {
            if (++pages > max) {
                throw new HostException("Compute API: listing " + what + " did not end after " + max
                        + " pages; stopped (the server keeps sending a next page)");
            }
            if (nextToken != null && !nextToken.isEmpty() && !tokens.add(nextToken)) {
                throw new HostException("Compute API: listing " + what + " sent the same page token twice ('"
                        + SafeText.clip(nextToken, 40) + "'); stopped instead of looping");
            }
        }
    }

    /**
     * One instance, with its disks' types read too (the instance itself does not say them). A
     * disk that cannot be read (a regional disk without access, a missing permission, a disk
     * deleted meanwhile) is priced as unknown: it never makes this, or a stop, fail.
     */
    public VmInfo get(String project, String zone, String name) throws HostException {
        Instance i;
        try {
            i = instances.get(project, zone, name);
        } catch (ApiException e) {
            throw explain("get " + name, e);
        }
        List<String> bad = new ArrayList<>();
        VmInfo v = toVm(project, i, link -> readDisk(project, link), bad::add);
        if (v == null) {
            throw new HostException(
                    "Compute API: the answer for " + name + " is not a valid instance: " + String.join("; ", bad));
        }
        return v;
    }

    /** A disk by its URL: zonal (.../zones/Z/disks/D) or regional (.../regions/R/disks/D). */
    private Disk readDisk(String project, String link) {
        String[] p = link.split("/");
        if (p.length < 4 || !p[p.length - 2].equals("disks")) {
            throw new DiskUnknown("'" + SafeText.clip(link, 80) + "' is not a disk URL");
        }
        String scope = p[p.length - 4];
        String where = p[p.length - 3];
        String disk = p[p.length - 1];
        int at = java.util.Arrays.asList(p).indexOf("projects");
        String owner = at >= 0 && at + 1 < p.length ? p[at + 1] : project;
        try {
            return scope.equals("regions") ? regionDisks.get(owner, where, disk) : disks.get(owner, where, disk);
        } catch (ApiException e) {
            throw new DiskUnknown(explain("read disk " + disk, e).getMessage());
        }
    }

    /** Stops ({@code stop}) or starts an instance; returns the zone operation to {@link #await}. */
    public Operation power(String project, String zone, String name, boolean stop) throws HostException {
        try {
            return stop
                    ? instances
                            .stopCallable()
                            .call(StopInstanceRequest.newBuilder()
                                    .setProject(project)
                                    .setZone(zone)
                                    .setInstance(name)
                                    .build())
                    : instances
                            .startCallable()
                            .call(StartInstanceRequest.newBuilder()
                                    .setProject(project)
                                    .setZone(zone)
                                    .setInstance(name)
                                    .build());
        } catch (ApiException e) {
            throw explain((stop ? "stop " : "start ") + name, e);
        }
    }

    /** Polls a zone operation until DONE, for at most {@code limit}. */
    public Operation await(String project, String zone, Operation op, Duration limit, Consumer<String> progress)
            throws HostException {
        Duration every = pollEvery;
        long until = System.nanoTime() + limit.toNanos();
        Operation cur = op;
        while (!cur.getStatus().toString().equals("DONE")) {
            if (System.nanoTime() > until) {
                throw new HostException("operation " + cur.getName() + " still " + cur.getStatus() + " after "
                        + limit.toSeconds()
                        + " s; it goes on at Google, check with: gcloud compute operations describe "
                        + cur.getName() + " --zone " + zone);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while waiting for " + cur.getName(), e);
            }
            try {
                cur = operations.get(GetZoneOperationRequest.newBuilder()
                        .setProject(project)
                        .setZone(zone)
                        .setOperation(cur.getName())
                        .build());
            } catch (ApiException e) {
                throw explain("follow operation " + cur.getName(), e);
            }
            progress.accept(cur.getStatus().toString());
        }
        if (cur.hasError() && cur.getError().getErrorsCount() > 0) {
            throw new HostException("operation " + SafeText.clip(cur.getName(), 80) + " failed: "
                    + SafeText.clip(cur.getError().getErrors(0).getMessage(), 500));
        }
        return cur;
    }

    static HostException explain(String what, ApiException e) {
        String code = e.getStatusCode().getCode().toString();
        String hint = switch (code) {
            case "PERMISSION_DENIED" -> " (403: the credentials lack a Compute permission on this project)";
            case "NOT_FOUND" -> " (404: no such project, zone or instance)";
            case "DEADLINE_EXCEEDED" -> " (the API did not answer in time)";
            case "UNAUTHENTICATED" -> " (401: credentials expired? gcloud auth application-default login)";
            default -> "";
        };
        String msg = googleMessage(e);
        if (msg == null) {
            msg = e.getMessage() == null ? code : e.getMessage();
        }
        // the server's words: made safe for a terminal where they enter
        return new HostException("Compute API: cannot " + what + ": " + SafeText.clip(msg, 500) + hint, e);
    }

    /**
     * Google's explanation sits in the JSON body ({"error":{"message":"Required 'compute.instances.list'
     * permission for 'projects/p'"}}); over REST the exception's own message is only "Forbidden".
     */
    static String googleMessage(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof com.google.api.client.http.HttpResponseException h && h.getContent() != null) {
                try {
                    com.fasterxml.jackson.databind.JsonNode n =
                            new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.getContent());
                    String m = n.path("error").path("message").asText("");
                    return m.isEmpty() ? null : m;
                } catch (IOException notJson) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * An instance as colabtop uses it, checked where it enters: the name, zone, status and types
     * must have the shapes Google gives them (they become rows, plans and audit entries), an IP
     * must be an IP literal (it becomes an SSH target), labels are made safe to show. An instance
     * whose name or zone is not valid is left out with a warning; a bad IP is dropped with one.
     */
    static VmInfo toVm(String project, Instance i, DiskLookup disks, Consumer<String> warnings) {
        String name = i.getName();
        String zone = last(i.getZone());
        if (!GceNames.matches(GceNames.NAME, name) || !GceNames.matches(GceNames.ZONE, zone)) {
            warnings.accept("an instance with an invalid name or zone ('" + SafeText.clip(name, 70) + "' in '"
                    + SafeText.clip(zone, 40) + "') was left out");
            return null;
        }
        List<VmShape.GpuCount> gpus = new ArrayList<>();
        for (AcceleratorConfig a : i.getGuestAcceleratorsList()) {
            gpus.add(new VmShape.GpuCount(type(last(a.getAcceleratorType())), Math.max(0, a.getAcceleratorCount())));
        }
        List<VmShape.Disk> ds = new ArrayList<>();
        List<String> licences = new ArrayList<>();
        for (AttachedDisk d : i.getDisksList()) {
            for (String l : d.getLicensesList()) {
                if (licences.size() < 16) {
                    licences.add(SafeText.clip(l, 200));
                }
            }
            if (d.getType().equals("SCRATCH")) {
                // a local SSD partition: 375 GB unless the API says otherwise
                ds.add(new VmShape.Disk("local-ssd", d.getDiskSizeGb() > 0 ? d.getDiskSizeGb() : 375));
                continue;
            }
            if (!d.getType().equals("PERSISTENT")) {
                continue;
            }
            long attachedGb = Math.max(0, d.getDiskSizeGb());
            if (d.getSource().isEmpty()) {
                ds.add(new VmShape.Disk(VmShape.Disk.UNKNOWN, attachedGb, "the API gives no source for this disk"));
                continue;
            }
            try {
                Disk full = disks.find(d.getSource());
                String type = type(last(full.getType()));
                boolean regional =
                        full.getType().contains("/regions/") || d.getSource().contains("/regions/");
                ds.add(new VmShape.Disk(regional ? "regional-" + type : type, Math.max(0, full.getSizeGb())));
            } catch (DiskUnknown e) {
                ds.add(new VmShape.Disk(
                        VmShape.Disk.UNKNOWN,
                        attachedGb,
                        "disk " + SafeText.clip(last(d.getSource()), 63) + ": type unknown (" + e.getMessage() + ")"));
            }
        }
        String internal = null;
        String external = null;
        if (i.getNetworkInterfacesCount() > 0) {
            NetworkInterface n = i.getNetworkInterfaces(0);
            internal = n.hasNetworkIP() ? ipOrNull(n.getNetworkIP(), name, warnings) : null;
            for (AccessConfig ac : n.getAccessConfigsList()) {
                if (ac.hasNatIP() && !ac.getNatIP().isEmpty()) {
                    external = ipOrNull(ac.getNatIP(), name, warnings);
                }
            }
        }
        boolean spot = i.hasScheduling()
                && (i.getScheduling().getPreemptible()
                        || "SPOT".equals(i.getScheduling().getProvisioningModel()));
        Instant started = null;
        if (i.hasLastStartTimestamp() && !i.getLastStartTimestamp().isEmpty()) {
            try {
                started = OffsetDateTime.parse(i.getLastStartTimestamp()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                warnings.accept(name + ": unreadable lastStartTimestamp '"
                        + SafeText.clip(i.getLastStartTimestamp(), 40) + "'");
            }
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        i.getLabelsMap().forEach((k, v) -> {
            if (labels.size() < 64) {
                labels.put(SafeText.clip(k, 63), SafeText.clip(v, 63));
            }
        });
        String status = GceNames.STATUSES.contains(i.getStatus()) ? i.getStatus() : "UNKNOWN";
        return new VmInfo(
                project,
                name,
                i.getId(),
                zone,
                status,
                type(last(i.getMachineType())),
                gpus,
                ds,
                spot,
                labels,
                internal,
                external,
                started,
                licences);
    }

    /** A machine, GPU or disk type as the API names it; anything else is shown as such, never raw. */
    private static String type(String t) {
        return GceNames.matches(GceNames.TYPE, t) ? t : "invalid:" + SafeText.clip(t, 40);
    }

    /** An IPv4 or IPv6 literal, or null: a host name here would make colabtop connect wherever the answer says. */
    static String ipOrNull(String ip, String vm, Consumer<String> warnings) {
        boolean v4 = ip.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
        boolean v6 = ip.length() <= 45 && ip.contains(":") && ip.matches("[0-9A-Fa-f:.]+");
        if (v4 || v6) {
            return ip;
        }
        warnings.accept(vm + ": '" + SafeText.clip(ip, 50) + "' is not an IP address; ignored");
        return null;
    }

    /** The last segment of a resource URL: .../zones/us-central1-a -> us-central1-a. */
    static String last(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        instances.close();
        disks.close();
        regionDisks.close();
        operations.close();
    }
}
