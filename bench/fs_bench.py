#!/usr/bin/env python3
"""The workloads of bench/fs-bench.sh, run on one directory; prints one JSON line per result.

  run DIR THREADS FILES   mdtest-shaped metadata phases: each of THREADS processes creates FILES 4 KiB files (and
                          FILES directories) in a directory of its own, then stats, reads and removes them; phases
                          start together (a barrier) and a phase's rate is all operations over the slowest worker
  untar DIR TARBALL       tar xf TARBALL in DIR, then a sync of that file system; files per second and MiB/s
  fio DIR RW BS SIZE SECONDS   one fio job on a file in DIR (psync, buffered, fsync at the end of writes)
  table RESULTS           the comparison table of a results file (JSON lines with target=mount|local)
"""
import json
import multiprocessing
import os
import subprocess
import sys
import time

PAYLOAD = os.urandom(4096)


def emit(**record):
    print(json.dumps(record), flush=True)


# ---- metadata -----------------------------------------------------------------------------------------------

def phase_create(d, n):
    for i in range(n):
        fd = os.open(os.path.join(d, "f%d" % i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, PAYLOAD)
        os.close(fd)


def phase_stat(d, n):
    for i in range(n):
        if os.stat(os.path.join(d, "f%d" % i)).st_size != 4096:
            raise SystemExit("stat: wrong size of %s/f%d" % (d, i))


def phase_read(d, n):
    for i in range(n):
        with open(os.path.join(d, "f%d" % i), "rb") as f:
            if f.read() != PAYLOAD:
                raise SystemExit("read: wrong content of %s/f%d" % (d, i))


def phase_remove(d, n):
    for i in range(n):
        os.unlink(os.path.join(d, "f%d" % i))


def phase_mkdir(d, n):
    for i in range(n):
        os.mkdir(os.path.join(d, "d%d" % i))


def phase_dirstat(d, n):
    for i in range(n):
        os.stat(os.path.join(d, "d%d" % i))


def phase_rmdir(d, n):
    for i in range(n):
        os.rmdir(os.path.join(d, "d%d" % i))


PHASES = [("file_create", phase_create), ("file_stat", phase_stat), ("file_read", phase_read),
          ("file_remove", phase_remove), ("dir_create", phase_mkdir), ("dir_stat", phase_dirstat),
          ("dir_remove", phase_rmdir)]


def worker(d, n, barrier, times):
    os.makedirs(d)
    for name, fn in PHASES:
        barrier.wait()
        start = time.perf_counter()
        fn(d, n)
        times.put((name, time.perf_counter() - start))
    os.rmdir(d)


def run(directory, threads, files):
    barrier = multiprocessing.Barrier(threads)
    times = multiprocessing.Queue()
    root = os.path.join(directory, "mdtest-%d-%d" % (threads, os.getpid()))
    os.makedirs(root)
    procs = [multiprocessing.Process(target=worker, args=(os.path.join(root, "w%d" % t), files, barrier, times))
             for t in range(threads)]
    for p in procs:
        p.start()
    slowest = {}
    for _ in range(threads * len(PHASES)):
        name, seconds = times.get()
        slowest[name] = max(slowest.get(name, 0), seconds)
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit("a worker failed (exit %d)" % p.exitcode)
    os.rmdir(root)
    for name, _ in PHASES:
        emit(test="%s x%d" % (name, threads), unit="ops/s", value=threads * files / slowest[name],
             seconds=slowest[name])


# ---- untar and fio ------------------------------------------------------------------------------------------

def untar(directory, tarball):
    files = int(subprocess.run(["sh", "-c", "tar tf '%s' | wc -l" % tarball], check=True, capture_output=True,
                               text=True).stdout)
    into = os.path.join(directory, "untar-%d" % os.getpid())
    os.makedirs(into)
    start = time.perf_counter()
    subprocess.run(["tar", "xf", tarball, "-C", into], check=True)
    subprocess.run(["sync", "-f", into], check=True)
    seconds = time.perf_counter() - start
    emit(test="untar files", unit="files/s", value=files / seconds, seconds=seconds)
    emit(test="untar bytes", unit="MiB/s", value=os.path.getsize(tarball) / seconds / 2**20, seconds=seconds)
    subprocess.run(["rm", "-rf", into], check=True)


def fio(directory, rw, bs, size, seconds):
    path = os.path.join(directory, "fio-%s-%s.dat" % (rw, bs))
    cmd = ["fio", "--name=bench", "--filename=" + path, "--rw=" + rw, "--bs=" + bs, "--size=" + size,
           "--ioengine=psync", "--runtime=" + seconds, "--time_based=0", "--output-format=json"]
    if "write" in rw:
        cmd.append("--end_fsync=1")
    else:
        # lay the file out first (not timed), then drop it from the page cache so reads reach the file system
        subprocess.run(["fio", "--name=fill", "--filename=" + path, "--rw=write", "--bs=1M", "--size=" + size,
                        "--ioengine=psync", "--end_fsync=1", "--output-format=json"], check=True,
                       capture_output=True)
        drop_caches()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    job = json.loads(out[out.index("{"):])["jobs"][0]
    side = job["write"] if "write" in rw else job["read"]
    emit(test="fio %s %s" % (rw, bs), unit="IOPS" if bs == "4k" else "MiB/s",
         value=side["iops"] if bs == "4k" else side["bw_bytes"] / 2**20, seconds=side["runtime"] / 1000)
    os.unlink(path)


def drop_caches():
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3")
    except OSError:
        pass  # not root: reads may come from the page cache (the table says so in its note)


# ---- table --------------------------------------------------------------------------------------------------

def table(path):
    rows = {}
    order = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "test" not in r:
                continue
            if r["test"] not in rows:
                order.append(r["test"])
                rows[r["test"]] = {"unit": r["unit"]}
            rows[r["test"]][r["target"]] = r["value"]
    print("%-20s %-8s %14s %14s %8s" % ("test", "unit", "camber", "local", "ratio"))
    for t in order:
        r = rows[t]
        mount, local = r.get("mount"), r.get("local")
        ratio = "%.3f" % (mount / local) if mount and local else "-"
        print("%-20s %-8s %14s %14s %8s" % (t, r["unit"], fmt(mount), fmt(local), ratio))


def fmt(v):
    return "-" if v is None else ("%.1f" % v if v < 100 else "%.0f" % v)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "run" and len(argv) == 5:
        run(argv[2], int(argv[3]), int(argv[4]))
    elif cmd == "untar" and len(argv) == 4:
        untar(argv[2], argv[3])
    elif cmd == "fio" and len(argv) == 7:
        fio(*argv[2:7])
    elif cmd == "table" and len(argv) == 3:
        table(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
