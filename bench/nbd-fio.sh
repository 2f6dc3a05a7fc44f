#!/usr/bin/env bash
# NBD benchmark: the same fio jobs against a Camber volume (through the playground's NBD server) and against
# `nbdkit file` on the same disk (no replication: the local limit). Prints IOPS, MiB/s, p50/p99 latency and
# the Camber/nbdkit ratio per job. Needs: a running playground (./camber playground up), fio, nbdkit, python3.
#
#   bench/nbd-fio.sh [seconds-per-job] [volume-size]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-10}"
size="${2:-4GiB}"
volume=/bench-fio
camber_uri="nbd://127.0.0.1:10809${volume}"
work="$(pwd)/playground/bench"
mkdir -p "$work"

for tool in fio nbdkit python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install fio nbdkit python3" >&2; exit 2; }
done
./camber playground status >/dev/null || { echo "the playground is not up: ./camber playground up" >&2; exit 2; }
./camber volume create "$volume" --size "$size" >/dev/null 2>&1 || true

bytes=$(python3 -c "import sys;u={'KiB':1<<10,'MiB':1<<20,'GiB':1<<30,'TiB':1<<40};s=sys.argv[1];print(int(s[:-3])*u[s[-3:]])" "$size")
truncate -s "$bytes" "$work/nbdkit.img"
nbdkit --exit-with-parent -f -p 10811 -i 127.0.0.1 file "$work/nbdkit.img" &
nbdkit_pid=$!
trap 'kill $nbdkit_pid 2>/dev/null || true' EXIT
sleep 1
nbdkit_uri="nbd://127.0.0.1:10811"

# Lay the data down once on both, so reads hit written blocks and writes overwrite allocated chunks.
for uri in "$camber_uri" "$nbdkit_uri"; do
  fio --name=fill --ioengine=nbd --uri="$uri" --rw=write --bs=1M --iodepth=16 --size="$bytes" \
      --output-format=terse >/dev/null
done

jobs=("randwrite 4k 1" "randwrite 4k 32" "randread 4k 1" "randread 4k 32"
      "write 1M 1" "write 1M 32" "read 1M 1" "read 1M 32")
results="$work/results.jsonl"
: > "$results"
for job in "${jobs[@]}"; do
  read -r rw bs qd <<<"$job"
  for target in camber nbdkit; do
    uri=$camber_uri; [ "$target" = nbdkit ] && uri=$nbdkit_uri
    fio --name="$target-$rw-$bs-$qd" --ioengine=nbd --uri="$uri" --rw="$rw" --bs="$bs" --iodepth="$qd" \
        --size="$bytes" --time_based --runtime="$seconds" --randrepeat=0 --norandommap \
        --output-format=json | python3 -c '
import json, sys
text = sys.stdin.read()
j = json.loads(text[text.index("{"):])["jobs"][0]  # the nbd engine prints a line before the JSON
side = j["write"] if j["write"]["io_bytes"] > 0 else j["read"]
pct = side["clat_ns"].get("percentile", {})
print(json.dumps({"job": sys.argv[1], "target": sys.argv[2], "iops": side["iops"],
                  "mibs": side["bw_bytes"] / 1048576, "p50": pct.get("50.000000", 0) / 1e6,
                  "p99": pct.get("99.000000", 0) / 1e6}))' "$rw $bs QD$qd" "$target" >> "$results"
  done
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["job"], {})[r["target"]] = r
print(f"{'job':<20}{'camber IOPS':>12}{'MiB/s':>9}{'p50 ms':>9}{'p99 ms':>9}   "
      f"{'nbdkit IOPS':>12}{'MiB/s':>9}{'p50 ms':>9}{'p99 ms':>9}   {'ratio':>6}")
for job, t in by.items():
    c, n = t["camber"], t["nbdkit"]
    ratio = c["iops"] / n["iops"] if n["iops"] else float("nan")
    print(f"{job:<20}{c['iops']:>12.0f}{c['mibs']:>9.1f}{c['p50']:>9.2f}{c['p99']:>9.2f}   "
          f"{n['iops']:>12.0f}{n['mibs']:>9.1f}{n['p50']:>9.2f}{n['p99']:>9.2f}   {ratio:>6.3f}")
PY
