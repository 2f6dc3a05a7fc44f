#!/usr/bin/env python3
"""Counters, records and the table for bench/nbd-fio.sh.

The shell script drives fio and nbdkit; this helper does everything that needs parsing:
  sample  DIR HARNESS_PID [NBDKIT_PID...]   one JSON snapshot of the counters a job is measured with
  quiet   DIR MAX_SECONDS                   wait until the device and Camber's processes are idle
  header  DIR [KEY=VALUE...]                the run record: machine, tool versions, Camber's JVM options
  job     FIO_OUT BEFORE AFTER JOB TARGET   one job record from fio's output and two samples
  floor   FIO_OUT WHEN                      the disk's fdatasync floor from a psync fio run
  table   RESULTS                           the readable table of a results file (JSON lines)
  device  DIR                               the name of the disk holding DIR (exit 1 when there is none)
Records are JSON lines; `table` renders any results file again, so recorded runs can be compared later.
"""
import json
import os
import statistics
import sys
import time

SECTOR = 512
# Other processes above this share of the machine's CPU make a job's numbers suspect.
CONTENDED_PCT = 10.0
# An fdatasync p50 above this means someone else is hammering the disk (it is ~0.1 ms when quiet here).
DISK_CONTENDED_MS = 1.0


def clk_tck():
    """Clock ticks per second, as `getconf CLK_TCK` (the script exports it) reports."""
    return int(os.environ.get("CLK_TCK") or os.sysconf("SC_CLK_TCK"))


# ---- counters -----------------------------------------------------------------------------------

def cpu_ticks(stat_text):
    """utime+stime of a /proc/<pid>/stat text; the comm field may hold spaces, so split after its ')'."""
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of the whole line


def children_ticks(stat_text):
    """cutime+cstime: CPU of waited-for children (fio and this helper, for the script's own pid)."""
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return int(fields[13]) + int(fields[14])


def machine_ticks(proc_stat_text):
    """(total, busy) ticks of the aggregate cpu line; steal counts as busy: it is CPU someone else took."""
    for line in proc_stat_text.splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:9]]  # user nice system idle iowait irq softirq steal
            total = sum(v)
            return total, total - v[3] - v[4]
    raise ValueError("no aggregate cpu line in /proc/stat")


def sectors_written(block_stat_line):
    """Field 7 of /sys/block/<dev>/stat: sectors written (512 bytes each, whatever the device's block size)."""
    return int(block_stat_line.split()[6])


def block_device_dir(path, sysfs="/sys", mountinfo="/proc/self/mountinfo"):
    """The sysfs directory of the whole disk holding path (a partition maps to its parent disk), or None.

    st_dev finds it for ext4/xfs on a disk, a partition or device-mapper; filesystems with anonymous device
    numbers (btrfs) are looked up by the mount's source device instead.
    """
    st = os.stat(path)
    d = os.path.join(sysfs, "dev", "block", f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}")
    if not os.path.exists(d):
        d = _device_of_mount(os.path.realpath(path), sysfs, mountinfo)
    if d is None or not os.path.exists(d):
        return None
    d = os.path.realpath(d)
    if os.path.exists(os.path.join(d, "partition")):
        d = os.path.dirname(d)
    return d if os.path.exists(os.path.join(d, "stat")) else None


def _device_of_mount(path, sysfs, mountinfo):
    best, source = "", None
    with open(mountinfo) as f:
        for line in f:
            left, _, right = line.partition(" - ")
            point = left.split()[4]
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
                best, source = point, right.split()[1]
    if not source or not source.startswith("/dev/"):
        return None
    name = os.path.basename(os.path.realpath(source)) if os.path.exists(source) else os.path.basename(source)
    return os.path.join(sysfs, "class", "block", name)


def read(path):
    with open(path) as f:
        return f.read()


def camber_processes(playground):
    """{name: pid} of the playground's live processes; a pid whose command line lacks its jar is not ours."""
    state = json.loads(read(os.path.join(playground, "playground.json")))
    found = {}
    for p in state.get("processes", []):
        try:
            cmdline = read(f"/proc/{p['pid']}/cmdline").replace("\0", " ")
        except OSError:
            continue
        if p.get("jar") and p["jar"] in cmdline:
            found[p["name"]] = p["pid"]
    return found


def sample(playground, harness_pid, nbdkit_pids):
    total, busy = machine_ticks(read("/proc/stat"))
    camber = {}
    for name, pid in camber_processes(playground).items():
        try:
            camber[name] = cpu_ticks(read(f"/proc/{pid}/stat"))
        except OSError:
            pass  # exited between the two reads: missing from this sample, flagged in the job record
    nbdkit = 0
    for pid in nbdkit_pids:
        try:
            nbdkit += cpu_ticks(read(f"/proc/{pid}/stat"))
        except OSError:
            pass
    own = read(f"/proc/{harness_pid}/stat")
    dev = block_device_dir(playground)
    return {"time": time.time(), "total": total, "busy": busy, "camber": camber, "nbdkit": nbdkit,
            "harness": cpu_ticks(own) + children_ticks(own),
            "device": os.path.basename(dev) if dev else None,
            "sectors_written": sectors_written(read(os.path.join(dev, "stat"))) if dev else None}


def quiet(playground, max_seconds, step=0.5):
    """Polls until a step writes < 512 KiB to the device and Camber uses < 30 % of a core, or max_seconds."""
    dev = block_device_dir(playground)
    tck = clk_tck()

    def counters():
        ticks = 0
        for pid in camber_processes(playground).values():
            try:
                ticks += cpu_ticks(read(f"/proc/{pid}/stat"))
            except OSError:
                pass
        return ticks, sectors_written(read(os.path.join(dev, "stat"))) if dev else 0

    deadline = time.monotonic() + max_seconds
    last = counters()
    while time.monotonic() < deadline:
        time.sleep(step)
        now = counters()
        if (now[0] - last[0]) < 0.3 * step * tck and (now[1] - last[1]) * SECTOR < 512 * 1024:
            return True
        last = now
    return False


# ---- records ------------------------------------------------------------------------------------

def fio_job(text):
    """The first job of fio's JSON output; the nbd engine prints a banner line before the JSON."""
    start = 0 if text.startswith("{") else text.find("\n{") + 1
    if text[start:start + 1] != "{":
        raise ValueError("no JSON in fio's output: " + text[:200])
    doc, _ = json.JSONDecoder().raw_decode(text[start:])
    return doc["jobs"][0]


def pct_ms(lat, p):
    return lat.get("percentile", {}).get(f"{p:.6f}", 0) / 1e6


def job_record(fio_text, before, after, job, target):
    """One measured job: fio's view plus CPU, device bytes and contention from the two samples."""
    rw, bs, qd = job.split()
    j = fio_job(fio_text)
    writes = "write" in rw
    side = j["write"] if writes else j["read"]
    ops = side["total_ios"]
    tck = clk_tck()
    total = after["total"] - before["total"]
    camber_names = sorted(set(before["camber"]) & set(after["camber"]))
    camber = sum(after["camber"][n] - before["camber"][n] for n in camber_names)
    nbdkit = after["nbdkit"] - before["nbdkit"]
    harness = after["harness"] - before["harness"]
    other = max(0, (after["busy"] - before["busy"]) - camber - nbdkit - harness)
    device_bytes = None
    if before["sectors_written"] is not None and after["sectors_written"] is not None:
        device_bytes = (after["sectors_written"] - before["sectors_written"]) * SECTOR
    own = camber if target == "camber" else nbdkit  # the server side's CPU for this target
    other_pct = 100.0 * other / total if total > 0 else None
    return {
        "type": "job", "job": f"{rw} {bs} QD{qd}", "rw": rw, "bs": bs, "qd": int(qd), "target": target,
        "error": j.get("error", 0), "ops": ops, "client_bytes": side["io_bytes"],
        "seconds": side["runtime"] / 1000.0, "iops": side["iops"], "mibs": side["bw_bytes"] / 1048576,
        "p50_ms": pct_ms(side["clat_ns"], 50), "p99_ms": pct_ms(side["clat_ns"], 99),
        "server_cpu_us_per_req": own * 1e6 / tck / ops if ops else None,
        "camber_cpu_us_per_req": camber * 1e6 / tck / ops if ops and target == "camber" else None,
        "device": after["device"], "device_bytes": device_bytes,
        "device_per_client_byte": device_bytes / side["io_bytes"]
        if writes and device_bytes is not None and side["io_bytes"] else None,
        "other_cpu_pct": other_pct, "contended": other_pct is not None and other_pct > CONTENDED_PCT,
        "camber_lost": sorted(set(before["camber"]) - set(after["camber"])),
    }


def floor_record(fio_text, when):
    """The disk's fdatasync latency at QD1 on a laid-out file: the price of durability on this disk now."""
    j = fio_job(fio_text)
    lat = j["sync"]["lat_ns"]
    p50 = pct_ms(lat, 50)
    return {"type": "floor", "when": when, "write_iops": j["write"]["iops"], "sync_p50_ms": p50,
            "sync_p99_ms": pct_ms(lat, 99), "disk_contended": p50 > DISK_CONTENDED_MS}


def header_record(playground, extra):
    """What the numbers depend on: the machine, the tools, and Camber's JVM options (part of the result)."""
    jvm = None
    for name, pid in sorted(camber_processes(playground).items()):
        if name.startswith("chunk-service"):
            args = read(f"/proc/{pid}/cmdline").split("\0")
            jvm = " ".join(args[1:args.index("-jar")] if "-jar" in args else args[1:])
            break
    dev = block_device_dir(playground)
    rec = {"type": "run", "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cores": os.cpu_count(),
           "kernel": os.uname().release, "device": os.path.basename(dev) if dev else None,
           "chunk_service_jvm_options": jvm}
    for kv in extra:
        k, _, v = kv.partition("=")
        rec[k] = v
    return rec


# ---- table --------------------------------------------------------------------------------------

def median(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, decimals):
    return "-" if v is None else f"{v:.{decimals}f}"


def ms(v):
    return "-" if v is None else f"{v:.{2 if v < 10 else 1}f}"


COLUMNS = [("job", 20), ("base", 6), ("IOPS", 9), ("MiB/s", 8), ("p50ms", 8), ("p99ms", 8), ("base IOPS", 10),
           ("MiB/s", 8), ("p50ms", 8), ("p99ms", 8), ("ratio", 8), ("cpu us/req", 11), ("dev/cli", 8),
           ("other%", 7), ("flags", 0)]


def table(records):
    """One line per job: Camber, then its baseline, the IOPS ratio, Camber's costs and the flags (medians)."""
    lines = []
    for r in records:
        if r["type"] == "run":
            lines.append(f"run {r['started']}: {r.get('seconds', '?')} s per job, {r.get('warmup', '?')} s warm-up, "
                         f"volume {r.get('size', '?')}, device {r['device']}, {r['cores']} cores, kernel "
                         f"{r['kernel']}, chunk-service JVM: {r['chunk_service_jvm_options']}")
    for r in records:
        if r["type"] == "floor":
            lines.append(f"disk floor ({r['when']}): 4k fdatasync QD1 p50 {ms(r['sync_p50_ms'])} ms, p99 "
                         f"{ms(r['sync_p99_ms'])} ms, {r['write_iops']:.0f} IOPS"
                         + ("  DISK CONTENDED" if r["disk_contended"] else ""))
    jobs = {}
    for r in records:
        if r["type"] == "job":
            jobs.setdefault(r["job"], {}).setdefault(r["target"], []).append(r)
    lines.append("".join(f"{name:<{w}}" if i < 2 else f"{name:>{w}}" for i, (name, w) in enumerate(COLUMNS[:-1]))
                 + "  flags")
    for job, by in jobs.items():
        c, b = by.get("camber", []), [r for t, rs in by.items() if t != "camber" for r in rs]
        base = b[0]["target"].replace("nbdkit-", "") if b else "-"
        ci, bi = median(c, "iops"), median(b, "iops")
        flags = []
        if any(r["contended"] for r in c + b):
            flags.append("contended")
        if any(r["error"] for r in c + b):
            flags.append("fio-error")
        if any(r["camber_lost"] for r in c):
            flags.append("camber-process-exited")
        if len(c) > 1:
            flags.append(f"median of {len(c)}")
        cells = [job, base, fmt(ci, 0), fmt(median(c, "mibs"), 1), ms(median(c, "p50_ms")),
                 ms(median(c, "p99_ms")), fmt(bi, 0), fmt(median(b, "mibs"), 1), ms(median(b, "p50_ms")),
                 ms(median(b, "p99_ms")), fmt(ci / bi if ci is not None and bi else None, 3),
                 fmt(median(c, "camber_cpu_us_per_req"), 0), fmt(median(c, "device_per_client_byte"), 2),
                 fmt(max([r["other_cpu_pct"] for r in c + b if r["other_cpu_pct"] is not None], default=None), 0)]
        lines.append("".join(f"{v:<{w}}" if i < 2 else f"{v:>{w}}" for i, (v, (_, w)) in enumerate(zip(cells, COLUMNS)))
                     + "  " + ", ".join(flags))
    lines.append("base: fua = nbdkit --filter=fua file fuamode=force (every write fdatasync'd before the reply), "
                 "file = nbdkit file (page cache)\n"
                 "ratio = Camber IOPS / base IOPS; cpu us/req: CPU of all playground processes per request; "
                 "dev/cli: device bytes written per client byte\n"
                 f"other%: CPU share of the machine taken by processes outside the bench (contended above "
                 f"{CONTENDED_PCT:.0f} %)")
    return "\n".join(lines)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "sample":
        print(json.dumps(sample(args[0], int(args[1]), [int(p) for p in args[2:]])))
    elif cmd == "quiet":
        return 0 if quiet(args[0], float(args[1])) else 3
    elif cmd == "header":
        print(json.dumps(header_record(args[0], args[1:])))
    elif cmd == "job":
        r = job_record(read(args[0]), json.loads(read(args[1])), json.loads(read(args[2])), args[3], args[4])
        print(json.dumps(r))
        print(f"nbd-fio: {r['job']} {r['target']}: {r['iops']:.0f} IOPS, p50 {ms(r['p50_ms'])} ms, other CPU "
              f"{fmt(r['other_cpu_pct'], 0)} %{' (contended)' if r['contended'] else ''}", file=sys.stderr)
    elif cmd == "floor":
        print(json.dumps(floor_record(read(args[0]), args[1])))
    elif cmd == "table":
        print(table([json.loads(line) for line in read(args[0]).splitlines() if line.strip()]))
    elif cmd == "device":
        d = block_device_dir(args[0])
        if d is None:
            return 1
        print(os.path.basename(d))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
