package io.colabtop.app.gce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that speaks the Compute Engine v1 REST shapes the real client uses:
 * aggregated instance and disk lists (several zones, a zone warning, two pages), instances.get,
 * stop/start returning a zone operation that is RUNNING for a few polls before DONE, Google's
 * error body for 403 and 404, and a project whose calls never answer. Loopback only.
 * Run it (main) to try colabtop by hand: COLABTOP_COMPUTE_ENDPOINT=http://127.0.0.1:PORT.
 */
public final class FakeComputeServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "https://www.googleapis.com/compute/v1/projects/";
    static final Pattern AGG = Pattern.compile("/compute/v1/projects/([^/]+)/aggregated/(instances|disks)");
    static final Pattern INST =
            Pattern.compile("/compute/v1/projects/([^/]+)/zones/([^/]+)/instances/([^/]+)(/stop|/start)?");
    static final Pattern DISK = Pattern.compile("/compute/v1/projects/([^/]+)/zones/([^/]+)/disks/([^/]+)");
    static final Pattern REGION_DISK = Pattern.compile("/compute/v1/projects/([^/]+)/regions/([^/]+)/disks/([^/]+)");
    static final Pattern OP = Pattern.compile("/compute/v1/projects/([^/]+)/zones/([^/]+)/operations/([^/]+)");

    private final HttpServer server;
    /** project -> zone -> name -> instance JSON */
    final Map<String, Map<String, Map<String, ObjectNode>>> projects = new ConcurrentHashMap<>();

    final Map<String, Op> operations = new ConcurrentHashMap<>();
    public final AtomicInteger stopCalls = new AtomicInteger();
    public final AtomicInteger startCalls = new AtomicInteger();
    /** project -> regional disks (the aggregated list's regions/R scopes, and regions/R/disks/D) */
    final Map<String, List<ObjectNode>> regionalDisks = new ConcurrentHashMap<>();

    public final AtomicInteger endlessPages = new AtomicInteger();
    /** zone/name of every instance a stop was asked for, in order */
    public final List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final CountDownLatch closing = new CountDownLatch(1);
    /** polls an operation stays RUNNING before it is DONE */
    public volatile int pollsUntilDone = 3;

    static final class Op {
        final String project;
        final String zone;
        final String instance;
        final String finalStatus;
        final String type;
        int polls;

        Op(String project, String zone, String instance, String type, String finalStatus) {
            this.project = project;
            this.zone = zone;
            this.instance = instance;
            this.type = type;
            this.finalStatus = finalStatus;
        }
    }

    public FakeComputeServer() throws IOException {
        server = LoopbackHttp.start("fake-compute", this::handle);
        seed();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A fleet like a Colab user's: a V100 trainer, a spot T4, a stopped A100 box, an L4 in Tokyo. */
    private void seed() {
        put(
                "ml-project",
                vm(
                        "ml-project",
                        "us-central1-a",
                        "trainer-v100",
                        1001,
                        "RUNNING",
                        "n1-standard-8",
                        "nvidia-tesla-v100",
                        1,
                        false,
                        "127.0.0.1",
                        "2026-11-01T08:00:00.000-08:00",
                        "pd-balanced",
                        200,
                        "pd-ssd",
                        100));
        put(
                "ml-project",
                vm(
                        "ml-project",
                        "us-central1-a",
                        "spot-t4",
                        1002,
                        "RUNNING",
                        "n1-standard-4",
                        "nvidia-tesla-t4",
                        1,
                        true,
                        "127.0.0.1",
                        "2026-11-23T10:30:00.000-08:00",
                        "pd-standard",
                        100,
                        null,
                        0));
        put(
                "ml-project",
                vm(
                        "ml-project",
                        "europe-west4-a",
                        "a100-box",
                        1003,
                        "TERMINATED",
                        "a2-highgpu-1g",
                        "nvidia-tesla-a100",
                        1,
                        false,
                        null,
                        "2026-11-20T08:00:00.000-08:00",
                        "pd-ssd",
                        500,
                        null,
                        0));
        put(
                "ml-project",
                vm(
                        "ml-project",
                        "asia-northeast1-b",
                        "tokyo-l4",
                        1004,
                        "RUNNING",
                        "g2-standard-4",
                        "nvidia-l4",
                        1,
                        false,
                        "127.0.0.1",
                        "2026-11-23T12:00:00.000+09:00",
                        "pd-balanced",
                        100,
                        null,
                        0));
        projects.put("loop", new ConcurrentHashMap<>());
        projects.put("endless", new ConcurrentHashMap<>());
        // what a broken proxy or a hostile endpoint could answer: every field that reaches a row or a connection
        ObjectNode evil = vm(
                "evil-project",
                "us-central1-a",
                "fine-name",
                2001,
                "RUNNING\u001b[2J",
                "n1-standard-4\u001b]0;x\u0007",
                "nvidia-tesla-t4",
                1,
                false,
                "attacker.example.com",
                "not a time",
                "pd-balanced",
                10,
                null,
                0);
        evil.putObject("labels").put("owner\u202e", "\u001b[31mred");
        put("evil-project", evil);
        put(
                "evil-project",
                vm(
                        "evil-project",
                        "us-central1-a",
                        "Bad\u001b[31mName",
                        2002,
                        "RUNNING",
                        "n1-standard-4",
                        null,
                        0,
                        false,
                        "127.0.0.1",
                        "2026-11-01T08:00:00.000-08:00",
                        "pd-balanced",
                        10,
                        null,
                        0));
        seedOdd();
        // two RUNNING VMs with the same name in two zones are two VMs
        put(
                "twins",
                vm(
                        "twins",
                        "us-central1-a",
                        "train-t4",
                        3001,
                        "RUNNING",
                        "n1-standard-4",
                        "nvidia-tesla-t4",
                        1,
                        false,
                        "127.0.0.1",
                        "2026-11-23T08:00:00.000-08:00",
                        "pd-balanced",
                        100,
                        null,
                        0));
        put(
                "twins",
                vm(
                        "twins",
                        "europe-west4-a",
                        "train-t4",
                        3002,
                        "RUNNING",
                        "n1-standard-8",
                        "nvidia-tesla-v100",
                        1,
                        false,
                        "127.0.0.2",
                        "2026-11-23T08:00:00.000-08:00",
                        "pd-balanced",
                        100,
                        null,
                        0));
    }

    /**
     * What colabtop cannot fully price, and disks it cannot read: 'odd-project' has a VM with a
     * GPU the catalog does not know (k80-box), one of an unknown family whose disk has vanished
     * (mystery: nothing of it can be priced), one with a regional disk, a stopped one whose disk
     * was deleted, and one on a Windows image (a licence surcharge). In 'nodisks' the credentials
     * may list instances but not disks (403).
     */
    private void seedOdd() {
        put(
                "odd-project",
                vm(
                        "odd-project",
                        "us-central1-a",
                        "k80-box",
                        4001,
                        "RUNNING",
                        "n1-standard-4",
                        "nvidia-tesla-k80",
                        1,
                        false,
                        "127.0.0.1",
                        "2026-11-23T08:00:00.000-08:00",
                        "pd-balanced",
                        50,
                        null,
                        0));
        ObjectNode mystery = vm(
                "odd-project",
                "us-central1-a",
                "mystery",
                4002,
                "RUNNING",
                "zz9-standard-4",
                null,
                0,
                false,
                null,
                "2026-11-23T08:00:00.000-08:00",
                "pd-balanced",
                20,
                null,
                0);
        noScratch(mystery);
        mystery.putObject("_disks"); // its disk is in no list: deleted, or another project's
        put("odd-project", mystery);
        ObjectNode regional = vm(
                "odd-project",
                "us-central1-a",
                "regional",
                4003,
                "RUNNING",
                "n2-standard-4",
                null,
                0,
                false,
                null,
                "2026-11-23T08:00:00.000-08:00",
                "pd-balanced",
                10,
                null,
                0);
        noScratch(regional);
        String link = BASE + "odd-project/regions/us-central1/disks/regional-data";
        ((ArrayNode) regional.get("disks"))
                .addObject()
                .put("type", "PERSISTENT")
                .put("diskSizeGb", "100")
                .put("source", link);
        regionalDisks
                .computeIfAbsent("odd-project", k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(JSON.createObjectNode()
                        .put("name", "regional-data")
                        .put("sizeGb", "100")
                        .put("type", BASE + "odd-project/regions/us-central1/diskTypes/pd-balanced")
                        .put("region", BASE + "odd-project/regions/us-central1")
                        .put("selfLink", link));
        put("odd-project", regional);
        ObjectNode vanished = vm(
                "odd-project",
                "us-central1-a",
                "vanished",
                4004,
                "TERMINATED",
                "n1-standard-4",
                null,
                0,
                false,
                null,
                "2026-11-20T08:00:00.000-08:00",
                "pd-ssd",
                30,
                null,
                0);
        noScratch(vanished);
        vanished.putObject("_disks");
        put("odd-project", vanished);
        ObjectNode win = vm(
                "odd-project",
                "us-central1-a",
                "win",
                4005,
                "RUNNING",
                "n1-standard-4",
                null,
                0,
                false,
                null,
                "2026-11-23T08:00:00.000-08:00",
                "pd-balanced",
                50,
                null,
                0);
        noScratch(win);
        ((ObjectNode) win.get("disks").get(0))
                .putArray("licenses")
                .add(
                        "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/licenses/windows-server-2022-dc");
        put("odd-project", win);
        ObjectNode plain = vm(
                "nodisks",
                "us-central1-a",
                "plain",
                5001,
                "RUNNING",
                "n1-standard-4",
                null,
                0,
                false,
                "127.0.0.1",
                "2026-11-23T08:00:00.000-08:00",
                "pd-balanced",
                50,
                null,
                0);
        noScratch(plain);
        put("nodisks", plain);
    }

    private static void noScratch(ObjectNode vm) {
        ArrayNode disks = (ArrayNode) vm.get("disks");
        for (int i = disks.size() - 1; i >= 0; i--) {
            if (disks.get(i).get("type").asText().equals("SCRATCH")) {
                disks.remove(i);
            }
        }
    }

    void put(String project, ObjectNode vm) {
        String zone = vm.get("zone").asText().replaceAll(".*/", "");
        projects.computeIfAbsent(project, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(zone, z -> new ConcurrentHashMap<>())
                .put(vm.get("name").asText(), vm);
    }

    static ObjectNode vm(
            String project,
            String zone,
            String name,
            long id,
            String status,
            String machineType,
            String gpu,
            int gpus,
            boolean spot,
            String natIp,
            String started,
            String disk1,
            long gb1,
            String disk2,
            long gb2) {
        ObjectNode v = JSON.createObjectNode();
        v.put("kind", "compute#instance")
                .put("id", Long.toString(id))
                .put("name", name)
                .put("status", status)
                .put("zone", BASE + project + "/zones/" + zone)
                .put("machineType", BASE + project + "/zones/" + zone + "/machineTypes/" + machineType)
                .put("lastStartTimestamp", started);
        if (gpu != null) {
            v.putArray("guestAccelerators")
                    .addObject()
                    .put("acceleratorType", BASE + project + "/zones/" + zone + "/acceleratorTypes/" + gpu)
                    .put("acceleratorCount", gpus);
        }
        ArrayNode disks = v.putArray("disks");
        disks.addObject()
                .put("type", "PERSISTENT")
                .put("boot", true)
                .put("diskSizeGb", Long.toString(gb1))
                .put("source", BASE + project + "/zones/" + zone + "/disks/" + name);
        if (disk2 != null) {
            disks.addObject()
                    .put("type", "PERSISTENT")
                    .put("diskSizeGb", Long.toString(gb2))
                    .put("source", BASE + project + "/zones/" + zone + "/disks/" + name + "-data");
        }
        disks.addObject().put("type", "SCRATCH").put("diskSizeGb", "375");
        ObjectNode nic = v.putArray("networkInterfaces").addObject().put("networkIP", "10.128.0." + (id % 200));
        if (natIp != null) {
            nic.putArray("accessConfigs")
                    .addObject()
                    .put("name", "External NAT")
                    .put("natIP", natIp);
        }
        v.putObject("scheduling").put("preemptible", spot).put("provisioningModel", spot ? "SPOT" : "STANDARD");
        v.putObject("labels").put("team", "ml").put("owner", "sarah");
        // what the disks list says about the same disks (type and size live there, not on the instance)
        v.putObject("_disks").put(name, disk1 + ":" + gb1).put(name + "-data", disk2 == null ? "" : disk2 + ":" + gb2);
        return v;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getQuery() == null
                    ? ""
                    : ex.getRequestURI().getQuery();
            Matcher m;
            if ((m = AGG.matcher(path)).matches()) {
                if (gate(ex, m.group(1))) {
                    return;
                }
                if (m.group(2).equals("disks") && m.group(1).equals("nodisks")) {
                    error(ex, 403, "Required 'compute.disks.list' permission for 'projects/nodisks'", "forbidden");
                    return;
                }
                reply(
                        ex,
                        200,
                        m.group(2).equals("instances")
                                ? aggregatedInstances(m.group(1), query)
                                : aggregatedDisks(m.group(1)));
            } else if ((m = INST.matcher(path)).matches()) {
                if (gate(ex, m.group(1))) {
                    return;
                }
                ObjectNode vm = projects.getOrDefault(m.group(1), Map.of())
                        .getOrDefault(m.group(2), Map.of())
                        .get(m.group(3));
                if (vm == null) {
                    error(
                            ex,
                            404,
                            "The resource 'projects/" + m.group(1) + "/zones/" + m.group(2) + "/instances/" + m.group(3)
                                    + "' was not found",
                            "notFound");
                    return;
                }
                if (m.group(4) == null) {
                    reply(ex, 200, strip(vm));
                    return;
                }
                boolean stop = m.group(4).equals("/stop");
                if (!stop) {
                    startCalls.incrementAndGet();
                }
                if (stop) {
                    stopCalls.incrementAndGet();
                    stopped.add(m.group(2) + "/" + m.group(3));
                }
                synchronized (vm) {
                    vm.put("status", stop ? "STOPPING" : "STAGING");
                }
                String opName = "operation-" + System.nanoTime();
                operations.put(
                        opName,
                        new Op(
                                m.group(1),
                                m.group(2),
                                m.group(3),
                                stop ? "stop" : "start",
                                stop ? "TERMINATED" : "RUNNING"));
                reply(ex, 200, operation(opName, "RUNNING"));
            } else if ((m = REGION_DISK.matcher(path)).matches()) {
                if (gate(ex, m.group(1))) {
                    return;
                }
                for (ObjectNode d : regionalDisks.getOrDefault(m.group(1), List.of())) {
                    if (d.get("name").asText().equals(m.group(3))
                            && d.get("region").asText().endsWith("/" + m.group(2))) {
                        reply(ex, 200, d);
                        return;
                    }
                }
                error(ex, 404, "disk " + m.group(3) + " not found", "notFound");
            } else if ((m = DISK.matcher(path)).matches()) {
                if (gate(ex, m.group(1))) {
                    return;
                }
                if (m.group(1).equals("nodisks")) {
                    error(ex, 403, "Required 'compute.disks.get' permission for 'projects/nodisks'", "forbidden");
                    return;
                }
                for (ObjectNode d : disksOf(m.group(1), m.group(2))) {
                    if (d.get("name").asText().equals(m.group(3))) {
                        reply(ex, 200, d);
                        return;
                    }
                }
                error(ex, 404, "disk " + m.group(3) + " not found", "notFound");
            } else if ((m = OP.matcher(path)).matches()) {
                Op op = operations.get(m.group(3));
                if (op == null) {
                    error(ex, 404, "operation " + m.group(3) + " not found", "notFound");
                    return;
                }
                String status;
                synchronized (op) {
                    op.polls++;
                    status = op.polls >= pollsUntilDone ? "DONE" : "RUNNING";
                }
                if (status.equals("DONE")) {
                    ObjectNode vm = projects.get(op.project).get(op.zone).get(op.instance);
                    synchronized (vm) {
                        vm.put("status", op.finalStatus);
                    }
                }
                reply(ex, 200, operation(m.group(3), status));
            } else {
                error(ex, 404, "no route " + path, "notFound");
            }
        } catch (RuntimeException e) {
            error(ex, 500, e.toString(), "backendError");
        }
    }

    /** Projects with special behaviour: 'forbidden' answers 403, 'hang' never answers. */
    private boolean gate(HttpExchange ex, String project) throws IOException {
        if (project.equals("forbidden")) {
            error(ex, 403, "Required 'compute.instances.list' permission for 'projects/forbidden'", "forbidden");
            return true;
        }
        if (project.equals("evil-errors")) {
            error(ex, 403, "denied \u001b]0;pwned\u0007\u001b[2J\u202e", "forbidden");
            return true;
        }
        if (project.equals("hang")) {
            try {
                closing.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return true;
        }
        if (!projects.containsKey(project)) {
            error(ex, 404, "The resource 'projects/" + project + "' was not found", "notFound");
            return true;
        }
        return false;
    }

    /**
     * Two pages: first the US and Europe zones (Europe with a warning), then Asia. Project 'loop'
     * answers every page with the same next token, project 'endless' with a new one each time.
     */
    private ObjectNode aggregatedInstances(String project, String query) {
        if (project.equals("loop") || project.equals("endless")) {
            ObjectNode r = JSON.createObjectNode().put("kind", "compute#instanceAggregatedList");
            r.putObject("items")
                    .putObject("zones/us-central1-a")
                    .putObject("warning")
                    .put("code", "NO_RESULTS_ON_PAGE")
                    .put("message", "nothing here");
            r.put("nextPageToken", project.equals("loop") ? "again" : "p" + endlessPages.incrementAndGet());
            return r;
        }
        boolean second = query.contains("pageToken=page2");
        ObjectNode r = JSON.createObjectNode()
                .put("kind", "compute#instanceAggregatedList")
                .put("id", "projects/" + project + "/aggregated/instances");
        ObjectNode items = r.putObject("items");
        Map<String, Map<String, ObjectNode>> zones = new LinkedHashMap<>(projects.get(project));
        for (Map.Entry<String, Map<String, ObjectNode>> z : zones.entrySet()) {
            boolean asia = z.getKey().startsWith("asia");
            if (asia != second) {
                continue;
            }
            ArrayNode list = items.putObject("zones/" + z.getKey()).putArray("instances");
            z.getValue().values().forEach(v -> list.add(strip(v)));
        }
        if (!second) {
            items.putObject("zones/us-west1-b")
                    .putObject("warning")
                    .put("code", "NO_RESULTS_ON_PAGE")
                    .put("message", "There are no results for scope 'zones/us-west1-b' on this page.");
            items.putObject("zones/europe-west9-a")
                    .putObject("warning")
                    .put("code", "UNREACHABLE")
                    .put("message", "The zone 'europe-west9-a' is unreachable.");
            r.put("nextPageToken", "page2");
        }
        return r;
    }

    private ObjectNode aggregatedDisks(String project) {
        ObjectNode r = JSON.createObjectNode().put("kind", "compute#diskAggregatedList");
        ObjectNode items = r.putObject("items");
        for (String zone : projects.get(project).keySet()) {
            ArrayNode list = items.putObject("zones/" + zone).putArray("disks");
            disksOf(project, zone).forEach(list::add);
        }
        for (ObjectNode d : regionalDisks.getOrDefault(project, List.of())) {
            String region = d.get("region").asText().replaceAll(".*/", "");
            ObjectNode scope = items.has("regions/" + region)
                    ? (ObjectNode) items.get("regions/" + region)
                    : items.putObject("regions/" + region);
            (scope.has("disks") ? (ArrayNode) scope.get("disks") : scope.putArray("disks")).add(d);
        }
        return r;
    }

    private List<ObjectNode> disksOf(String project, String zone) {
        List<ObjectNode> out = new java.util.ArrayList<>();
        for (ObjectNode vm : projects.get(project).getOrDefault(zone, Map.of()).values()) {
            vm.get("_disks").fields().forEachRemaining(d -> {
                if (d.getValue().asText().isEmpty()) {
                    return;
                }
                String[] t = d.getValue().asText().split(":");
                out.add(JSON.createObjectNode()
                        .put("name", d.getKey())
                        .put("sizeGb", t[1])
                        .put("type", BASE + project + "/zones/" + zone + "/diskTypes/" + t[0])
                        .put("selfLink", BASE + project + "/zones/" + zone + "/disks/" + d.getKey()));
            });
        }
        return out;
    }

    private static ObjectNode strip(ObjectNode vm) {
        synchronized (vm) {
            ObjectNode c = vm.deepCopy();
            c.remove("_disks");
            return c;
        }
    }

    private ObjectNode operation(String name, String status) {
        Op op = operations.get(name);
        ObjectNode o = JSON.createObjectNode()
                .put("kind", "compute#operation")
                .put("id", "77")
                .put("name", name)
                .put("status", status)
                .put("progress", status.equals("DONE") ? 100 : 40);
        if (op != null) {
            o.put("operationType", op.type)
                    .put("zone", BASE + op.project + "/zones/" + op.zone)
                    .put("targetLink", BASE + op.project + "/zones/" + op.zone + "/instances/" + op.instance);
        }
        return o;
    }

    private static void error(HttpExchange ex, int code, String message, String reason) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode err = e.putObject("error").put("code", code).put("message", message);
        err.putArray("errors")
                .addObject()
                .put("message", message)
                .put("domain", "global")
                .put("reason", reason);
        reply(ex, code, e);
    }

    private static void reply(HttpExchange ex, int code, ObjectNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    public List<String> zones(String project) {
        return List.copyOf(projects.get(project).keySet());
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    /** For trying colabtop by hand against it. */
    public static void main(String[] args) throws Exception {
        FakeComputeServer s = new FakeComputeServer();
        System.out.println("COLABTOP_COMPUTE_ENDPOINT=" + s.endpoint());
        System.out.println("project: ml-project (also: forbidden -> 403, hang -> never answers)");
        Thread.currentThread().join();
    }
}
