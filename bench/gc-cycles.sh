#!/usr/bin/env bash
# Garbage-collection check on the playground: N cycles of create a volume, write SIZE into it through NBD (fio,
# sequential 1 MiB), delete it, and wait until the MDS has no chunks left to free. Prints the chunk services'
# disk usage (their data directories, raft logs included) before, after each cycle and at the end, with the
# growth against the baseline. Issue 10's check: 20 cycles of 256 MiB end within 5 % of the baseline.
# Needs: a running playground (./camber playground up), fio.
#
#   bench/gc-cycles.sh [cycles] [size]        defaults: 20 and 256MiB
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cycles="${1:-20}"
size="${2:-256MiB}"
dir="$(realpath -m "${PLAYGROUND_DIR:-playground}")"
nbd="nbd://127.0.0.1:10809"

usage() {
  du -csb "$dir"/data/chunk-service-* | tail -1 | cut -f1
}

pending() {
  ./camber cluster status --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("garbageChunks", 0))'
}

wait_freed() {
  for _ in $(seq 1 120); do
    [ "$(pending)" = "0" ] && return 0
    sleep 1
  done
  echo "chunks still to free after 120 s: $(pending)" >&2
  return 1
}

wait_freed
sleep 5 # followers apply the last deletes a moment after the leaders
base=$(usage)
printf '%-8s %14s %10s\n' cycle "bytes" "vs base"
printf '%-8s %14s %9.1f%%\n' base "$base" 0
for c in $(seq 1 "$cycles"); do
  vol="/gc-bench-$c"
  ./camber volume create "$vol" --size 1GiB > /dev/null
  fio --name=gc --ioengine=nbd --uri="$nbd$vol" --rw=write --bs=1M --iodepth=8 --size="$size" \
      --output=/dev/null
  ./camber volume rm "$vol" > /dev/null
  wait_freed
  now=$(usage)
  printf '%-8s %14s %9.1f%%\n' "$c" "$now" "$(python3 -c "print(($now - $base) * 100 / $base)")"
done
sleep 5
end=$(usage)
printf '%-8s %14s %9.1f%%\n' end "$end" "$(python3 -c "print(($end - $base) * 100 / $base)")"
