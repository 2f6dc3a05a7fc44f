#!/usr/bin/env bash
# Recovery benchmark: how fast the cluster heals after losing a chunk service for good, and what it costs the
# foreground IO. On a playground of 4 or more chunk services (zone1 holds chunk-service-1 and -4) it fills a volume
# through NBD, measures 4 KiB random writes (fio, QD16), kills -9 chunk-service-4, and while the MDS rebuilds its
# replicas on chunk-service-1 keeps measuring the same fio job in short windows. It prints the time from the kill to
# the first rebuild and to HEALTH_OK, the bytes rebuilt and their rate, and the fio IOPS during the rebuild against
# the IOPS before the failure (the target is at least 50 %). A harness that prints numbers, never a test.
# Needs: a running playground made with `./camber playground up --chunk-services 4`, fio, python3.
#
#   bench/recovery.sh [volume-size]        default: 2GiB (a multiple of the 1GiB segment)
#
# Environment (all optional): PLAYGROUND_DIR=playground  VOLUME=/bench-recovery  WINDOW=10 (seconds per fio window)
# The killed chunk service stays down; `./camber playground up` starts it again (it then drops its old replicas).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"
size="${1:-2GiB}"
dir="$(realpath -m "${PLAYGROUND_DIR:-playground}")"
volume="${VOLUME:-/bench-recovery}"
window="${WINDOW:-10}"
uri="nbd://127.0.0.1:10809${volume}"
victim=4
camber() { "$repo/camber" "$@"; }
fail() { echo "recovery: $*" >&2; exit 2; }
note() { echo "recovery: $*" >&2; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

command -v fio >/dev/null || fail "fio is not installed (apt-get install fio)"
[[ "$window" =~ ^[0-9]+$ ]] && [ "$window" -ge 2 ] || fail "WINDOW must be a whole number of seconds, at least 2"
services=$(camber playground status --dir "$dir" --json | json "sum(1 for p in d if p['name'].startswith('chunk-service') and p['alive'])")
[ "$services" -ge 4 ] || fail "the playground in $dir runs $services live chunk services: start it with" \
  "'./camber playground up --chunk-services 4' (a lost replica needs a live chunk service in a zone its copyset does not use)"
[ "$(camber cluster status --json | json "d['health']")" = HEALTH_OK ] \
  || fail "the cluster is not HEALTH_OK: './camber cluster status' says why; start from a healthy cluster"

camber volume create "$volume" --size "$size" >/dev/null 2>&1 || true
note "filling $volume ($size) through NBD"
fio --name=fill --ioengine=nbd --uri="$uri" --rw=write --bs=1M --iodepth=8 --size="$size" >/dev/null

# 4 KiB random writes, QD16, for $1 seconds over the volume's first GiB; prints IOPS (fio's nbd engine prints a
# line before the JSON).
fio_window() {
  fio --name=fg --ioengine=nbd --uri="$uri" --rw=randwrite --bs=4k --iodepth=16 --size=1GiB --time_based \
    --runtime="$1" --output-format=json 2>/dev/null | sed -n '/^{/,$p' | json "round(d['jobs'][0]['write']['iops'])"
}
before=$(fio_window 20)
note "before the failure: $before IOPS (4 KiB random writes, QD16)"

victim_id=$(camber chunkserver ls --json | json "[c['id'] for c in d if c['port']==$((8210 + victim)) and c['state']!='RETIRED'][0]")
replicas=$(camber chunkserver ls --json | json "[c['copysets'] for c in d if c['id']==$victim_id][0]")
# Bytes to rebuild: the chunk files of the victim's copysets (each replica holds all of its copyset's chunks).
bytes=$(du -sb --apparent-size "$dir/data/chunk-service-$victim/copysets" | cut -f1)
pid=$(camber playground status --dir "$dir" --json | json "[p['pid'] for p in d if p['name']=='chunk-service-$victim'][0]")
kill -9 "$pid"
killed=$(date +%s.%N)
note "killed -9 chunk-service-$victim (chunk server $victim_id, $replicas replicas, $((bytes / 1048576)) MiB of chunks)"

started="" healed="" during=()
while [ -z "$healed" ]; do
  now=$(date +%s.%N)
  if python3 -c "import sys; sys.exit(0 if $now - $killed > 900 else 1)"; then
    fail "not HEALTH_OK within 15 minutes of the kill: './camber copyset ls' shows what is stuck"
  fi
  iops=$(fio_window "$window")
  status=$(camber cluster status --json)
  moved=$(camber copyset ls --json | json "sum(1 for c in d if all(m['chunkServerId']!=$victim_id for m in c['members']))")
  if [ -z "$started" ]; then
    # the first rebuild this kill caused (the log also holds earlier runs')
    started=$(python3 - "$dir/logs/mds-service.log" "$killed" <<'EOF' || true
import datetime, sys
for line in open(sys.argv[1], errors="replace"):
    if "event=copyset-member-replaced" in line and 'why="recover:' in line:
        t = datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00")).timestamp()
        if t >= float(sys.argv[2]):
            print(t)
            break
EOF
)
  fi
  if [ -n "$started" ]; then
    during+=("$iops")
  fi
  note "window: $iops IOPS; $(echo "$status" | json "d['health']"); copysets without the lost one: $moved"
  # Healed: the rebuild ran, no copyset counts the lost chunk server, and the cluster says so (right after the kill
  # it still says HEALTH_OK: the MDS has not missed a heartbeat yet).
  if [ -n "$started" ] && [ "$moved" -eq "$(echo "$status" | json "d['copysets']")" ] \
      && [ "$(echo "$status" | json "d['health']")" = HEALTH_OK ]; then
    healed=$(date +%s.%N)
  fi
done

python3 - "$killed" "$started" "$healed" "$bytes" "$before" "${during[@]}" <<'EOF'
import statistics, sys
killed, started, healed, nbytes, before = (float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]),
                                          int(sys.argv[4]), float(sys.argv[5]))
during = [float(x) for x in sys.argv[6:]] or [0.0]
rebuild = healed - started
print("| measure | value |")
print("| --- | --- |")
print(f"| kill -9 to first rebuild started (the playground's 60 s recovery delay included) | {started - killed:.0f} s |")
print(f"| first rebuild started to HEALTH_OK | {rebuild:.0f} s |")
print(f"| kill -9 to HEALTH_OK | {healed - killed:.0f} s |")
print(f"| chunk files rebuilt | {nbytes / 1048576:.0f} MiB |")
print(f"| rebuild rate (chunk files / (HEALTH_OK - first rebuild)) | {nbytes / 1048576 / max(rebuild, 1):.1f} MiB/s |")
print(f"| fio 4 KiB randwrite QD16 before the failure | {before:.0f} IOPS |")
print(f"| same fio while rebuilding (median of {len(during)} windows) | {statistics.median(during):.0f} IOPS |")
print(f"| ratio during / before (target >= 0.50) | {statistics.median(during) / before:.2f} |")
EOF
note "chunk-service-$victim stays down: './camber playground up' starts it again"
