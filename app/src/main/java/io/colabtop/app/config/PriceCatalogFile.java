package io.colabtop.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.GceNames;
import io.colabtop.core.cost.PriceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and writes price catalogs. Which one a run uses: the user's file (--prices, or
 * prices_file in the config) when given; else the newer of what {@code colabtop prices update}
 * last fetched (in the cache directory) and the snapshot shipped in the jar (config/prices.json).
 *
 * <p>Format 2 (what tools/prices/generate.py and {@code prices update} write; its "layout" key
 * explains the arrays), e.g.
 * <pre>
 *   {"format": 2, "kind": "snapshot", "date": "2026-07-30", "currency": "USD", "source": "…",
 *    "shapes": {"n1-standard-4": [4, 15, null, 0, 0]},
 *    "regions": {"us-central1": {"machines": {"n1": [0.031611, 0.004237, 0.01115, 0.001494]},
 *       "types": {"f1-micro": [0.0076, 0.000684]}, "gpus": {"nvidia-tesla-t4": [0.35, 0.1654]},
 *       "disks": {"pd-balanced": [0.1, null]}, "ipv4": [0.005, 0.01]}}}
 * </pre>
 * Format 1 (colabtop's earlier hand-written files: "families" with onDemand/spot/custom rates,
 * "gpus" with hour/spotHour, "diskGbMonth") is still read.
 */
public final class PriceCatalogFile {
    static final String SHIPPED = "/io/colabtop/app/prices.json";
    /** Tests point the cache elsewhere: a JVM cannot change its own environment. */
    public static final String CACHE_PROPERTY = "colabtop.cache.dir";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern CACHED = Pattern.compile("prices-(\\d{4}-\\d{2}-\\d{2})\\.json");
    private static volatile PriceCatalog shipped;

    private PriceCatalogFile() {}

    /** The catalog a run uses: {@code userFile} when given, else the newest of the cached and the shipped one. */
    public static PriceCatalog load(Path userFile) {
        return load(userFile, System.getenv());
    }

    public static PriceCatalog load(Path userFile, Map<String, String> env) {
        if (userFile != null) {
            if (!Files.isRegularFile(userFile)) {
                throw new UsageError("price file " + userFile + " does not exist");
            }
            return read(userFile, PriceCatalog.FILE);
        }
        PriceCatalog base = shipped();
        Path cached = newestCached(cacheDir(env));
        if (cached != null) {
            String date = dateOf(cached);
            if (date.compareTo(base.info().date()) >= 0) {
                try {
                    return read(cached, PriceCatalog.BILLING_CATALOG);
                } catch (UsageError broken) {
                    // a damaged cache must not stop a run: the shipped snapshot prices it, and says so
                    java.util.logging.Logger.getLogger("colabtop")
                            .warning("ignoring " + cached + ": " + broken.getMessage());
                }
            }
        }
        return base;
    }

    /** The snapshot in the jar. */
    public static PriceCatalog shipped() {
        PriceCatalog s = shipped;
        if (s != null) {
            return s;
        }
        try (InputStream in = PriceCatalogFile.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("prices.json missing from the build");
            }
            s = parse(JSON.readTree(in), "built in", PriceCatalog.SNAPSHOT, Map.of());
            shipped = s;
            return s;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the shipped price catalog is unreadable: " + e.getMessage(), e);
        }
    }

    /** A price file (format 1 or 2); its shapes are merged over the shipped ones. */
    public static PriceCatalog read(Path file, String kindWhenUnsaid) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return parse(root, file.toString(), kindWhenUnsaid, shipped().shapes());
        } catch (IOException e) {
            throw new UsageError("cannot read price file " + file + ": " + SafeText.clip(e.getMessage(), 300));
        } catch (IllegalArgumentException e) {
            throw new UsageError("price file " + file + ": " + SafeText.clip(e.getMessage(), 300));
        }
    }

    /** {@code $XDG_CACHE_HOME/colabtop} (default {@code ~/.cache/colabtop}), where {@code prices update} writes. */
    public static Path cacheDir(Map<String, String> env) {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null) {
            return Path.of(prop);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "colabtop");
        }
        return AppPaths.from(env).home().resolve(".cache/colabtop");
    }

    /** The newest prices-YYYY-MM-DD.json in {@code dir}, or null. */
    static Path newestCached(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> CACHED.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String dateOf(Path cached) {
        var m = CACHED.matcher(cached.getFileName().toString());
        return m.matches() ? m.group(1) : "0000-00-00";
    }

    /**
     * Writes {@code c} as prices-DATE.json in {@code dir} (0600 in a 0700 directory, whole or not
     * at all), keeps the three newest, and returns the file.
     */
    public static Path write(PriceCatalog c, Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // permissions are advice here: the file holds public prices
        }
        Path target = dir.resolve("prices-" + c.info().date() + ".json");
        Path tmp = Files.createTempFile(dir, ".prices-", ".tmp");
        try {
            Files.writeString(tmp, toJson(c));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> old = s.filter(
                            p -> CACHED.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparing(
                                    (Path p) -> p.getFileName().toString())
                            .reversed())
                    .skip(3)
                    .toList();
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
        return target;
    }

    /** Format 2, without shapes (they come from the shipped snapshot when read back). */
    static String toJson(PriceCatalog c) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 2)
                .put("kind", c.info().kind())
                .put("date", c.info().date())
                .put("currency", c.info().currency())
                .put("source", c.info().source());
        ObjectNode regions = root.putObject("regions");
        for (Map.Entry<String, PriceCatalog.Region> e : new TreeMap<>(c.regions()).entrySet()) {
            ObjectNode r = regions.putObject(e.getKey());
            PriceCatalog.Region reg = e.getValue();
            ObjectNode m = r.putObject("machines");
            new TreeMap<>(reg.machines()).forEach((k, v) -> {
                ArrayNode a = m.putArray(k);
                if (k.endsWith("-ext")) {
                    num(a, v.mem());
                    num(a, v.spotMem());
                } else {
                    num(a, v.vcpu());
                    num(a, v.mem());
                    num(a, v.spotVcpu());
                    num(a, v.spotMem());
                }
            });
            pairs(r.putObject("types"), reg.types());
            pairs(r.putObject("gpus"), reg.gpus());
            pairs(r.putObject("disks"), reg.disks());
            if (reg.ipv4() != null) {
                ArrayNode ip = r.putArray("ipv4");
                ip.add(reg.ipv4().inUse());
                ip.add(reg.ipv4().unused());
                num(ip, reg.ipv4().spotInUse());
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static void pairs(ObjectNode o, Map<String, PriceCatalog.Price> m) {
        new TreeMap<>(m).forEach((k, v) -> {
            ArrayNode a = o.putArray(k);
            num(a, v.onDemand());
            num(a, v.spot());
        });
    }

    private static void num(ArrayNode a, Double d) {
        if (d == null) {
            a.addNull();
        } else {
            a.add(d);
        }
    }

    // ---- reading

    /**
     * A catalog from its JSON, checked key by key: a wrong shape names the key ("regions.us-west1
     * .gpus.nvidia-tesla-t4: expected [USD/h, spot USD/h]"), a wrong value its bound (validate).
     */
    static PriceCatalog parse(
            JsonNode root, String origin, String kindWhenUnsaid, Map<String, PriceCatalog.Shape> base) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int format = root.path("format").asInt(1);
        String date = text(root, "date");
        if (date == null || !DATE.matcher(date).matches()) {
            throw new IllegalArgumentException(
                    "date = " + SafeText.clip(String.valueOf(date), 20) + " is not YYYY-MM-DD");
        }
        String currency = text(root, "currency");
        String source = text(root, "source");
        PriceCatalog.Info info = new PriceCatalog.Info(
                format == 2 && text(root, "kind") != null ? kind(text(root, "kind")) : kindWhenUnsaid,
                date,
                currency,
                source == null ? "" : SafeText.clip(source, 500),
                origin);
        PriceCatalog c = switch (format) {
            case 1 -> format1(root, info, base);
            case 2 -> format2(root, info, base);
            default -> throw new IllegalArgumentException("format = " + format + " is not 1 or 2");
        };
        return c.validate();
    }

    private static String kind(String k) {
        return Set.of(PriceCatalog.SNAPSHOT, PriceCatalog.BILLING_CATALOG, PriceCatalog.FILE)
                        .contains(k)
                ? k
                : PriceCatalog.FILE;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void only(JsonNode n, String at, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException((at.isEmpty() ? "" : at + ".") + SafeText.clip(f, 60)
                        + " is not a known key (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static PriceCatalog format2(JsonNode root, PriceCatalog.Info info, Map<String, PriceCatalog.Shape> base) {
        only(
                root,
                "",
                Set.of("format", "kind", "date", "currency", "source", "sources", "layout", "shapes", "regions"));
        Map<String, PriceCatalog.Shape> shapes = new HashMap<>(base);
        JsonNode sh = root.path("shapes");
        for (Iterator<Map.Entry<String, JsonNode>> it = sh.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "shapes." + name(e.getKey(), GceNames.TYPE, "shapes");
            JsonNode a = e.getValue();
            if (!a.isArray()
                    || a.size() != 5
                    || !a.get(0).isNumber()
                    || !a.get(1).isNumber()) {
                throw new IllegalArgumentException(at + ": expected [vCPUs, GB, GPU type or null, GPUs, local SSD GB]");
            }
            String gpu = a.get(2).isNull() ? null : name(a.get(2).asText(), GceNames.TYPE, at);
            shapes.put(
                    e.getKey(),
                    new PriceCatalog.Shape(
                            a.get(0).asDouble(),
                            a.get(1).asDouble(),
                            gpu,
                            a.get(3).asDouble(),
                            a.get(4).asInt()));
        }
        Map<String, PriceCatalog.Region> regions = new HashMap<>();
        JsonNode rs = root.path("regions");
        if (!rs.isObject()) {
            throw new IllegalArgumentException("regions is missing");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "regions." + name(e.getKey(), REGION, "regions");
            JsonNode r = e.getValue();
            only(r, at, Set.of("machines", "types", "gpus", "disks", "ipv4"));
            Map<String, PriceCatalog.Rates> machines = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> m = r.path("machines").fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> f = m.next();
                String fa = at + ".machines." + name(f.getKey(), GceNames.TYPE, at + ".machines");
                JsonNode a = f.getValue();
                if (f.getKey().endsWith("-ext")) {
                    Double[] v = numbers(a, 2, fa, "[extended GB/h, spot extended GB/h]");
                    machines.put(f.getKey(), new PriceCatalog.Rates(null, v[0], null, v[1]));
                } else {
                    Double[] v = numbers(a, 4, fa, "[vCPU/h, GB/h, spot vCPU/h, spot GB/h]");
                    machines.put(f.getKey(), new PriceCatalog.Rates(v[0], v[1], v[2], v[3]));
                }
            }
            PriceCatalog.Ipv4 ip = null;
            JsonNode ipn = r.get("ipv4");
            if (ipn != null && !ipn.isNull()) {
                if (!ipn.isArray() || ipn.size() < 2 || ipn.size() > 3) {
                    throw new IllegalArgumentException(
                            at + ".ipv4: expected [in use USD/h, unused USD/h, spot in use]");
                }
                Double[] v = numbers(ipn, ipn.size(), at + ".ipv4", "[in use USD/h, unused USD/h, spot in use]");
                if (v[0] == null || v[1] == null) {
                    throw new IllegalArgumentException(at + ".ipv4: the in-use and unused prices are needed");
                }
                ip = new PriceCatalog.Ipv4(v[0], v.length > 2 ? v[2] : null, v[1]);
            }
            regions.put(
                    e.getKey(),
                    new PriceCatalog.Region(
                            machines,
                            pairs(r.path("types"), at + ".types"),
                            pairs(r.path("gpus"), at + ".gpus"),
                            pairs(r.path("disks"), at + ".disks"),
                            ip));
        }
        return new PriceCatalog(info, shapes, regions);
    }

    private static Map<String, PriceCatalog.Price> pairs(JsonNode o, String at) {
        Map<String, PriceCatalog.Price> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = at + "." + name(e.getKey(), GceNames.TYPE, at);
            Double[] v = numbers(e.getValue(), 2, k, "[on-demand, spot]");
            out.put(e.getKey(), new PriceCatalog.Price(v[0], v[1]));
        }
        return out;
    }

    private static Double[] numbers(JsonNode a, int n, String at, String expected) {
        if (!a.isArray() || a.size() != n) {
            throw new IllegalArgumentException(at + ": expected " + expected);
        }
        Double[] out = new Double[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (v.isNull()) {
                continue;
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException(at + "[" + i + "] = " + SafeText.clip(v.toString(), 30)
                        + " is not a number (expected " + expected + ")");
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    private static String name(String key, Pattern p, String at) {
        if (!p.matcher(key).matches()) {
            throw new IllegalArgumentException(at + ": '" + SafeText.clip(key, 60) + "' is not a valid name here");
        }
        return key;
    }

    /** Format 1: {"regions": {R: {"families": {f: {"onDemand": {...}, "spot", "custom", "extendedMemGbHour"}}, "gpus": {g: {"hour", "spotHour"}}, "diskGbMonth": {t: n}}}}. */
    private static PriceCatalog format1(JsonNode root, PriceCatalog.Info info, Map<String, PriceCatalog.Shape> base) {
        only(root, "", Set.of("source", "date", "currency", "regions", "format"));
        Map<String, PriceCatalog.Region> regions = new HashMap<>();
        JsonNode rs = root.path("regions");
        if (!rs.isObject()) {
            throw new IllegalArgumentException("regions is missing");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "regions." + name(e.getKey(), REGION, "regions");
            JsonNode r = e.getValue();
            only(r, at, Set.of("families", "gpus", "diskGbMonth"));
            if (!r.has("families") || !r.has("gpus") || !r.has("diskGbMonth")) {
                throw new IllegalArgumentException(at + " needs families, gpus and diskGbMonth");
            }
            Map<String, PriceCatalog.Rates> machines = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> f = r.path("families").fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> fam = f.next();
                String fa = at + ".families." + name(fam.getKey(), GceNames.TYPE, at + ".families");
                JsonNode x = fam.getValue();
                only(x, fa, Set.of("onDemand", "spot", "custom", "extendedMemGbHour"));
                if (!x.path("onDemand").isObject()) {
                    throw new IllegalArgumentException(fa + ".onDemand is missing");
                }
                Double[] od = rate1(x.path("onDemand"), fa + ".onDemand");
                Double[] sp = rate1(x.path("spot"), fa + ".spot");
                machines.put(fam.getKey(), new PriceCatalog.Rates(od[0], od[1], sp[0], sp[1]));
                if (x.path("custom").isObject()) {
                    Double[] cu = rate1(x.path("custom"), fa + ".custom");
                    machines.put(fam.getKey() + "-custom", new PriceCatalog.Rates(cu[0], cu[1], null, null));
                }
                if (x.has("extendedMemGbHour")) {
                    machines.put(
                            fam.getKey() + "-ext",
                            new PriceCatalog.Rates(
                                    null, number(x.get("extendedMemGbHour"), fa + ".extendedMemGbHour"), null, null));
                }
            }
            Map<String, PriceCatalog.Price> gpus = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> g = r.path("gpus").fields(); g.hasNext(); ) {
                Map.Entry<String, JsonNode> gp = g.next();
                String ga = at + ".gpus." + name(gp.getKey(), GceNames.TYPE, at + ".gpus");
                only(gp.getValue(), ga, Set.of("hour", "spotHour"));
                gpus.put(
                        gp.getKey(),
                        new PriceCatalog.Price(
                                number(gp.getValue().get("hour"), ga + ".hour"),
                                gp.getValue().has("spotHour")
                                        ? number(gp.getValue().get("spotHour"), ga + ".spotHour")
                                        : null));
            }
            Map<String, PriceCatalog.Price> disks = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> d = r.path("diskGbMonth").fields(); d.hasNext(); ) {
                Map.Entry<String, JsonNode> dk = d.next();
                String da = at + ".diskGbMonth." + name(dk.getKey(), GceNames.TYPE, at + ".diskGbMonth");
                disks.put(dk.getKey(), new PriceCatalog.Price(number(dk.getValue(), da), null));
            }
            regions.put(e.getKey(), new PriceCatalog.Region(machines, Map.of(), gpus, disks, null));
        }
        return new PriceCatalog(info, base, regions);
    }

    private static Double[] rate1(JsonNode r, String at) {
        if (r.isMissingNode() || r.isNull()) {
            return new Double[2];
        }
        only(r, at, Set.of("vcpuHour", "memGbHour"));
        return new Double[] {number(r.get("vcpuHour"), at + ".vcpuHour"), number(r.get("memGbHour"), at + ".memGbHour")
        };
    }

    private static Double number(JsonNode v, String at) {
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(
                    at + " = " + (v == null ? "missing" : SafeText.clip(v.toString(), 30)) + " is not a number");
        }
        return v.asDouble();
    }

    /** Every region and type of a catalog, for a person: the regions in order. */
    public static List<String> regionNames(PriceCatalog c) {
        return new ArrayList<>(new TreeMap<>(c.regions()).keySet());
    }
}
