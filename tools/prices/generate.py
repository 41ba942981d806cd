#!/usr/bin/env python3
"""Generates colabtop's shipped price catalog (config/prices.json) from dated public data sets
built from Google's Cloud Billing Catalog, and an extract of those sources that the tests hold
the catalog to (every instance type, region, GPU, disk and IP price, within 1 %).

Never edit config/prices.json by hand: fetch the sources at the commits below (or newer ones),
run this script, commit what it writes (both files) with it.

    git clone https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator c
    git -C c show fd66b26ff84fee5cdd94f341ea89206e76c06b99:pricing.yml > pricing.yml
    git clone https://github.com/anycloud-sh/catalog a
    git -C a show 62ff0a987e0c257a89235415d2877812fb1aaf29:gcp/vms.csv > gcp-vms.csv
    tools/prices/generate.py pricing.yml gcp-vms.csv \\
        --pricing-commit fd66b26ff84fee5cdd94f341ea89206e76c06b99 \\
        --gpus-commit 62ff0a987e0c257a89235415d2877812fb1aaf29 --gpus-date 2026-05-20

Needs Python 3.8+ and PyYAML (python3-yaml).

What comes from where:
- pricing.yml (Cyclenerd, Apache-2.0): every predefined machine type in every region, on-demand
  and spot per hour, its vCPUs, memory, bundled GPUs and local SSD; the month figure with
  sustained-use discounts; persistent disks, regional disks, local SSD, external IPv4.
  A sample of its shape:
      compute:
        instance:
          n1-standard-4:
            cost:
              us-central1:
                hour: 0.189999
                hour_spot: 0.06701
                month: 97.089489
            cpu: 4
            ram: 15
- gcp/vms.csv (SkyPilot's catalog format, as republished daily by anycloud-sh/catalog): the GPUs
  a user attaches to an N1 VM (T4, P4, P100, V100), per zone, on-demand and spot. pricing.yml
  prices only GPUs that come bundled with a machine type. A sample row:
      ,,,T4,1,{'Gpus': [...]},us-central1,us-central1-a,0.35,0.1654

How the catalog is made compact: per region and machine family, one vCPU and one GB rate
(on-demand and spot), fitted to the family's predefined types (Google prices them that way:
vCPUs x core SKU + GB x RAM SKU + local SSD). A type whose price the rates do not give within
0.1 % (bundled GPUs, families whose types all share one memory ratio, shared-core types) keeps
its own price in the region's "types". N1 custom rates come from the custom types pricing.yml
prices; custom N2, N2D and E2 carry Google's 5 % custom premium over predefined. Extended memory
(custom memory beyond 6.5 GB per vCPU on N1, 8 on N2) has no rate in these sources: colabtop says
so, and `colabtop prices update` fetches it.
"""
import argparse
import csv
import datetime
import hashlib
import gzip
import json
import re
import sys

import yaml

# Google's GPU names (the API's acceleratorType) for pricing.yml's instance keys and the CSV's names
BUNDLED_GPU = {
    "a100": "nvidia-tesla-a100",
    "a100-80gb": "nvidia-a100-80gb",
    "h100-80gb": "nvidia-h100-80gb",
    "h100-80gb-mega": "nvidia-h100-mega-80gb",
    "l4": "nvidia-l4",
    "rtx6000": "nvidia-rtx-pro-6000",
}
ATTACHED_GPU = {"T4": "nvidia-tesla-t4", "P4": "nvidia-tesla-p4", "P100": "nvidia-tesla-p100", "V100": "nvidia-tesla-v100"}
# pricing.yml storage keys -> the API's disk type names (regional disks get a regional- prefix)
DISKS = {
    "hdd": "pd-standard",
    "balanced": "pd-balanced",
    "ssd": "pd-ssd",
    "extreme": "pd-extreme",
    "hyperdisk-extreme": "hyperdisk-extreme",
    "hdd-replicated": "regional-pd-standard",
    "balanced-replicated": "regional-pd-balanced",
    "ssd-replicated": "regional-pd-ssd",
    "local": "local-ssd",
    "local-c4": "local-ssd-c4",
    "local-c4a": "local-ssd-c4a",
    "local-c4d": "local-ssd-c4d",
}
CUSTOM_PREMIUM = 1.05
# the families whose custom shapes carry the 5 % premium over their predefined rates
CUSTOM_FAMILIES = ("n2", "n2d", "e2")
FIT_TOLERANCE = 0.001
HOURS_PER_MONTH = 730


def family(machine_type):
    return machine_type.split("-")[0]


def local_ssd_storage(machine_type):
    """pricing.yml's storage key for the local SSD a type comes with (C4, C4A, C4D have their own rate)."""
    f = family(machine_type)
    return "local-" + f if f in ("c4", "c4a", "c4d") else "local"


def solve(rows):
    """Least squares for price = vcpus * c + gb * m; None when the rows cannot tell c from m."""
    sxx = sum(r[0] * r[0] for r in rows)
    sxy = sum(r[0] * r[1] for r in rows)
    syy = sum(r[1] * r[1] for r in rows)
    sxp = sum(r[0] * r[2] for r in rows)
    syp = sum(r[1] * r[2] for r in rows)
    det = sxx * syy - sxy * sxy
    if abs(det) < 1e-9 * max(1.0, sxx * syy):
        return None
    return ((syy * sxp - sxy * syp) / det, (sxx * syp - sxy * sxp) / det)


def fit(rows):
    """Rates that give the rows within the tolerance, leaving out the worst outlier while that helps
    (one odd type, such as a new SKU for the largest size, must not spoil a family's rates)."""
    rows = list(rows)
    while len(rows) >= 2:
        rates = solve(rows)
        if rates is None:
            return None
        worst = max(rows, key=lambda r: abs(r[0] * rates[0] + r[1] * rates[1] - r[2]) / r[2])
        if rates[0] >= 0 and rates[1] >= 0 and abs(worst[0] * rates[0] + worst[1] * rates[1] - worst[2]) <= FIT_TOLERANCE * worst[2]:
            return rates
        rows.remove(worst)
    return None


def solve3(a, b):
    """Gaussian elimination for a 3x3 system."""
    m = [row[:] + [v] for row, v in zip(a, b)]
    for i in range(3):
        p = max(range(i, 3), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        if abs(m[i][i]) < 1e-12:
            return None
        for r in range(3):
            if r != i:
                f = m[r][i] / m[i][i]
                m[r] = [x - f * y for x, y in zip(m[r], m[i])]
    return [m[i][3] / m[i][i] for i in range(3)]


def rnd(x):
    return None if x is None else float("%.9g" % x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pricing_yml")
    ap.add_argument("gpus_csv")
    ap.add_argument("--pricing-commit", required=True)
    ap.add_argument("--gpus-commit", required=True)
    ap.add_argument("--gpus-date", required=True, help="the date of that commit's data, YYYY-MM-DD")
    ap.add_argument("--out", default="config/prices.json")
    ap.add_argument("--extract", default="app/src/test/resources/io/colabtop/app/gce/prices-source.csv.gz")
    args = ap.parse_args()

    raw = open(args.pricing_yml, "rb").read()
    doc = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    gpu_raw = open(args.gpus_csv, "rb").read()
    generated = datetime.datetime.fromtimestamp(int(doc["about"]["timestamp"]), datetime.timezone.utc)
    date = generated.strftime("%Y-%m-%d")
    instances = doc["compute"]["instance"]
    regions = sorted(doc["region"].keys())
    out_regions = {r: {"machines": {}, "types": {}, "gpus": {}, "disks": {}, "ipv4": None} for r in regions}
    extract = []
    warnings = []

    # shapes: what each predefined type is made of
    shapes = {}
    for t, v in sorted(instances.items()):
        if t.startswith("custom-"):
            continue
        if not v.get("cost"):
            warnings.append("%s has no prices in any region; left out" % t)
            continue
        gpu = [(BUNDLED_GPU[k], v[k]) for k in v if k in BUNDLED_GPU]
        unknown = [k for k in v if k not in BUNDLED_GPU and k not in ("cost", "cpu", "ram", "local-ssd", "type")]
        if unknown:
            sys.exit("generate: %s has fields this script does not know: %s" % (t, unknown))
        shape = [v["cpu"], v["ram"], gpu[0][0] if gpu else None, gpu[0][1] if gpu else 0, v.get("local-ssd", 0)]
        shapes[t] = shape
        extract.append(["shape", t, "", v["cpu"], v["ram"], shape[2] or "", shape[3], shape[4]])

    storage = doc["compute"]["storage"]

    def disk_rate(region, key, spot=False):
        c = storage[key]["cost"].get(region)
        if c is None:
            return None
        return c.get("month_spot") if spot else c.get("month")

    # disks, local SSD, external IPv4
    for key, name in DISKS.items():
        for r in regions:
            month = disk_rate(r, key)
            if month is None:
                continue
            spot = disk_rate(r, key, True) if key.startswith("local") else None
            out_regions[r]["disks"][name] = [rnd(month), rnd(spot)]
            extract.append(["disk", name, r, month, "" if spot is None else spot, ""])
    ip = doc["compute"]["network"]["ip"]
    for r in regions:
        vm = ip["vm"]["cost"].get(r)
        unused = ip["unused"]["cost"].get(r)
        if vm and unused:
            out_regions[r]["ipv4"] = [rnd(vm["hour"]), rnd(unused["hour"])]
            extract.append(["ip", "in-use", r, vm["hour"], "", ""])
            extract.append(["ip", "unused", r, unused["hour"], "", ""])

    # machine families: fit per region, keep the types the fit does not give
    by_family = {}
    for t in shapes:
        by_family.setdefault(family(t), []).append(t)
    fitted = {}
    for fam, types in sorted(by_family.items()):
        for r in regions:
            for spot in (False, True):
                rows = []
                for t in types:
                    c = instances[t]["cost"].get(r)
                    if c is None:
                        continue
                    price = c.get("hour_spot") if spot else c.get("hour")
                    if price is None:
                        continue
                    cpu, ram, gpu, n, lssd = shapes[t]
                    if lssd:
                        rate = disk_rate(r, local_ssd_storage(t), spot)
                        if rate is None:
                            rows.append((t, cpu, ram, None, price))
                            continue
                        price_machine = price - lssd * rate / HOURS_PER_MONTH
                    else:
                        price_machine = price
                    rows.append((t, cpu, ram, None if gpu else price_machine, price))
                rates = fit([(cpu, ram, p) for (_, cpu, ram, p, _) in rows if p is not None])
                kept = {}
                for t, cpu, ram, pm, price in rows:
                    if rates is not None and pm is not None and abs(cpu * rates[0] + ram * rates[1] - pm) <= FIT_TOLERANCE * pm:
                        continue
                    kept[t] = price
                if rates is not None and len(kept) > len(rows) / 2:
                    rates = None  # a fit most types disagree with is no fit
                    kept = {t: price for t, *_, price in rows}
                if rates is not None:
                    fitted[(fam, r, spot)] = rates
                for t, price in kept.items():
                    entry = out_regions[r]["types"].setdefault(t, [None, None])
                    entry[1 if spot else 0] = rnd(price)
    for fam in sorted(by_family):
        for r in regions:
            od = fitted.get((fam, r, False))
            sp = fitted.get((fam, r, True))
            if od is None and sp is None:
                continue
            out_regions[r]["machines"][fam] = [rnd(od[0]) if od else None, rnd(od[1]) if od else None,
                                               rnd(sp[0]) if sp else None, rnd(sp[1]) if sp else None]
    # a type kept for one of its prices keeps both in its entry (a reader takes the entry as a whole)
    for r in regions:
        for t, entry in out_regions[r]["types"].items():
            c = instances[t]["cost"][r]
            if entry[0] is None:
                entry[0] = rnd(c.get("hour"))
            if entry[1] is None:
                entry[1] = rnd(c.get("hour_spot"))

    # N1 custom: the source prices custom-1-7680-ext, custom-2-10240-ext and custom-4-30720-ext
    # with all their memory at the custom RAM rate (no extended-memory premium): two rates, three rows
    customs = {t: v for t, v in instances.items() if t.startswith("custom-")}
    for r in regions:
        for spot in (False, True):
            rows = []
            for t, v in sorted(customs.items()):
                c = v["cost"].get(r)
                if c is not None and c.get("hour_spot" if spot else "hour") is not None:
                    rows.append((v["cpu"], v["ram"], c["hour_spot" if spot else "hour"]))
            rates = fit(rows) if len(rows) == len(customs) else None
            if rates is None:
                continue
            cust = out_regions[r]["machines"].setdefault("n1-custom", [None, None, None, None])
            cust[2 if spot else 0] = rnd(rates[0])
            cust[3 if spot else 1] = rnd(rates[1])
    for t, v in sorted(customs.items()):
        for r, c in sorted(v["cost"].items()):
            extract.append(["instance", t, r, c.get("hour", ""), c.get("hour_spot", ""), c.get("month", "")])
    for r in regions:
        m = out_regions[r]["machines"]
        for fam in CUSTOM_FAMILIES:
            if fam in m:
                m[fam + "-custom"] = [rnd(x * CUSTOM_PREMIUM) if x is not None else None for x in m[fam]]

    for t in sorted(shapes):
        for r, c in sorted(instances[t]["cost"].items()):
            if c.get("hour") is None and c.get("hour_spot") is None:
                continue
            extract.append(["instance", t, r, c.get("hour", ""), c.get("hour_spot", ""), c.get("month", "")])

    # attached GPUs: one row per zone and count; the price of one GPU in a region
    gpu_prices = {}
    for row in csv.DictReader(gpu_raw.decode("utf-8").splitlines()):
        name = ATTACHED_GPU.get(row["AcceleratorName"])
        if row["InstanceType"] or name is None or row["AcceleratorCount"] not in ("1", "1.0"):
            continue
        key = (name, row["Region"])
        price = (float(row["Price"]), float(row["SpotPrice"]) if row["SpotPrice"] else None)
        if key in gpu_prices and gpu_prices[key] != price:
            warnings.append("%s in %s: zones differ (%s, %s); the higher is kept" % (name, row["Region"], gpu_prices[key], price))
            price = max(price, gpu_prices[key], key=lambda p: p[0])
        gpu_prices[key] = price
    for (name, r), (hour, spot) in sorted(gpu_prices.items()):
        if r not in out_regions:
            warnings.append("%s is priced in %s, a region pricing.yml does not have; left out" % (name, r))
            continue
        out_regions[r]["gpus"][name] = [rnd(hour), rnd(spot)]
        extract.append(["gpu", name, r, hour, "" if spot is None else spot, ""])

    sources = [
        {
            "name": "Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml",
            "url": "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator",
            "commit": args.pricing_commit,
            "date": date,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "licence": "Apache-2.0, Copyright 2022-2025 Nils Knieling",
            "used_for": "machine types of every family in every region (on-demand, spot), disks, local SSD, IPv4",
        },
        {
            "name": "anycloud-sh/catalog gcp/vms.csv (SkyPilot's GCP catalog format, fetched from the Billing Catalog)",
            "url": "https://github.com/anycloud-sh/catalog",
            "commit": args.gpus_commit,
            "date": args.gpus_date,
            "sha256": hashlib.sha256(gpu_raw).hexdigest(),
            "licence": "no licence stated by the repository; format and fetcher from SkyPilot (Apache-2.0); the prices are Google's public list prices",
            "used_for": "GPUs attached to N1 VMs (T4, P4, P100, V100), on-demand and spot",
        },
    ]
    catalog = {
        "format": 2,
        "kind": "snapshot",
        "date": date,
        "currency": "USD",
        "source": "Google Cloud Billing Catalog list prices (USD) as of %s, all %d regions, generated by "
        "tools/prices/generate.py from public data sets built from the Billing Catalog; attached GPU rates "
        "as of %s. `colabtop prices update` fetches the live catalog." % (date, len(regions), sources[1]["date"]),
        "sources": sources,
        "layout": {
            "shapes": "type: [vCPUs, memory GB, bundled GPU type, bundled GPUs, bundled local SSD GB]",
            "machines": "family: [vCPU/h, GB/h, spot vCPU/h, spot GB/h]; FAMILY-custom likewise; FAMILY-ext: [extended GB/h, spot extended GB/h] (from prices update only)",
            "types": "type: [USD/h, spot USD/h], for types the family rates do not give",
            "gpus": "type: [USD/h, spot USD/h]",
            "disks": "type: [USD per GB-month, spot USD per GB-month (local SSD)]",
            "ipv4": "[external IPv4 in use USD/h, static IPv4 reserved and unused USD/h]",
        },
        "shapes": shapes,
        "regions": out_regions,
    }
    with open(args.out, "w") as f:
        f.write(dump(catalog))
    with gzip.GzipFile(args.extract, "wb", mtime=0) as g:
        head = "# extract of the sources of config/prices.json: %s; made by tools/prices/generate.py\n" % "; ".join(
            "%s @ %s (%s, sha256 %s)" % (s["name"], s["commit"][:12], s["date"], s["sha256"][:16]) for s in sources)
        g.write(head.encode())
        g.write(b"kind,name,region,hour_or_month,spot,month\n")
        for row in extract:
            g.write((",".join(str(x) for x in row) + "\n").encode())
    for w in warnings:
        print("generate: " + w, file=sys.stderr)
    kept = sum(len(v["types"]) for v in out_regions.values())
    fams = sum(len(v["machines"]) for v in out_regions.values())
    print("generate: %d regions, %d family rates, %d types kept with their own price, %d shapes" % (len(regions), fams, kept, len(shapes)), file=sys.stderr)


def dump(catalog):
    """JSON with one line per region table: diffable, and a third of pretty-printed's size."""
    def line(v):
        return json.dumps(v, separators=(",", ":"), sort_keys=True)
    out = ["{"]
    for k in ("format", "kind", "date", "currency", "source"):
        out.append("  %s: %s," % (json.dumps(k), json.dumps(catalog[k])))
    out.append('  "sources": [')
    out.append(",\n".join("    " + line(s) for s in catalog["sources"]))
    out.append("  ],")
    out.append('  "layout": ' + json.dumps(catalog["layout"], indent=4, sort_keys=True).replace("\n", "\n  ") + ",")
    out.append('  "shapes": {')
    out.append(",\n".join("    %s: %s" % (json.dumps(t), line(s)) for t, s in sorted(catalog["shapes"].items())))
    out.append("  },")
    out.append('  "regions": {')
    regs = []
    for r, v in sorted(catalog["regions"].items()):
        parts = ['    %s: {' % json.dumps(r)]
        keys = [k for k in ("machines", "types", "gpus", "disks", "ipv4") if v.get(k) is not None]
        parts.append(",\n".join("      %s: %s" % (json.dumps(k), line(v[k])) for k in keys))
        parts.append("    }")
        regs.append("\n".join(parts))
    out.append(",\n".join(regs))
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
