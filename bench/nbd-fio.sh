#!/usr/bin/env bash
# NBD benchmark: each fio job against a Camber volume (the playground's NBD server) and against a local baseline
# on the same disk, in one run. Writes are compared with `nbdkit --filter=fua file IMG fuamode=force` (every
# write fdatasync'd before the reply: the durability Camber promises), reads with `nbdkit file IMG` (page
# cache). Per job it prints IOPS, MiB/s, p50/p99 for both, the ratio, Camber's CPU per request (all playground
# processes), device bytes written per client byte, and whether other processes contended for the CPU.
# Needs: a running playground (./camber playground up), fio, nbdkit, python3. See docs/benchmarks.md.
#
#   bench/nbd-fio.sh [seconds-per-job] [volume-size]        defaults: 15 and 1GiB (a multiple of the 1GiB segment)
#
# Environment (all optional):
#   JOBS="randwrite 4k 1;read 1M 8"  the jobs to run, "RW BS QD" separated by ';' (default: the list below)
#   WARMUP=3          seconds of unmeasured IO before each measured job (0: none)
#   REPEAT=1          runs of the job list; each job alternates Camber and its baseline; the table shows medians
#   FLOOR=3           seconds of the disk's fdatasync floor, measured at the start and at the end (0: skip)
#   SETTLE=30         at most this many seconds to wait after the fill for the playground to go idle
#   PLAYGROUND_DIR=playground   VOLUME=/bench-fio   BASE_PORT=10811 (this and the next one for nbdkit)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

# The job list: one "RW BS QD" per line; RW is read, write, randread or randwrite.
default_jobs=(
  "randwrite 4k 1"
  "randwrite 4k 32"
  "randread 4k 1"
  "randread 4k 32"
  "write 1M 8"
  "read 1M 8"
)

seconds="${1:-15}"
size="${2:-1GiB}"
warmup="${WARMUP:-3}"
repeat="${REPEAT:-1}"
floor="${FLOOR:-3}"
settle="${SETTLE:-30}"
dir="$(realpath -m "${PLAYGROUND_DIR:-playground}")"
volume="${VOLUME:-/bench-fio}"
fua_port="${BASE_PORT:-10811}"
file_port=$((fua_port + 1))
camber_uri="nbd://127.0.0.1:10809${volume}"
helper=(python3 "$repo/bench/nbd_fio.py")
work="$dir/bench"

fail() { echo "nbd-fio: $*" >&2; exit 2; }
note() { echo "nbd-fio: $*" >&2; }

for n in "$seconds" "$warmup" "$repeat" "$floor" "$settle"; do
  [[ "$n" =~ ^[0-9]+$ ]] || fail "'$n' is not a whole number of seconds or runs: see the usage at the top of $0"
done
[ "$seconds" -ge 1 ] && [ "$repeat" -ge 1 ] || fail "seconds per job and REPEAT must be at least 1"
if [ -n "${JOBS:-}" ]; then
  IFS=';' read -ra jobs <<<"$JOBS"
else
  jobs=("${default_jobs[@]}")
fi
for job in "${jobs[@]}"; do
  [[ "$job" =~ ^\ *(read|write|randread|randwrite)\ +[0-9]+[kKmM]?\ +[0-9]+\ *$ ]] \
    || fail "JOBS: '$job' is not 'RW BS QD' (RW: read, write, randread, randwrite; e.g. 'randwrite 4k 32')"
done

for tool in fio nbdkit python3 getconf; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install fio nbdkit python3"
done
fio --enghelp=nbd >/dev/null 2>&1 || fail "this fio has no nbd engine: install Debian's fio (3.19 or later)"
[ -f "$dir/playground.json" ] || fail "no playground in $dir: start one with ./camber playground up"
./camber playground status --dir "$dir" >/dev/null \
  || fail "the playground in $dir is not healthy: ./camber playground status --dir $dir shows which process"
export CLK_TCK
CLK_TCK="$(getconf CLK_TCK)"
bytes=$(python3 -c "import sys;u={'KiB':1<<10,'MiB':1<<20,'GiB':1<<30,'TiB':1<<40};s=sys.argv[1];print(int(s[:-3])*u[s[-3:]])" \
  "$size" 2>/dev/null) || fail "volume size '$size' is not like 512MiB or 4GiB"
device="$("${helper[@]}" device "$dir")" || note "no block device found for $dir: device bytes will be empty"

mkdir -p "$work"
if ! out="$(./camber volume create "$volume" --size "$size" 2>&1)"; then
  [[ "$out" == *ALREADY_EXISTS* ]] || fail "cannot create $volume: $out" # an earlier run's volume is reused
fi
if command -v nbdinfo >/dev/null; then
  have=$(nbdinfo --size "$camber_uri" 2>/dev/null) || fail "cannot open $camber_uri: is the playground's nbd process up?"
  [ "$have" -ge "$bytes" ] || fail "$volume exists with $have bytes, less than $size: pass a smaller size or VOLUME=/other"
fi

# Both baselines serve one image, filled like the Camber volume.
img="$work/baseline.img"
rm -f "$img"
truncate -s "$bytes" "$img"
nbdkit_pids=()
cleanup() {
  local pid
  for pid in "${nbdkit_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${nbdkit_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$img" "$work/floor.img"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start_nbdkit() { # port log args...
  local port=$1 log=$2 i
  shift 2
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port is taken: pass BASE_PORT=<two free ports>"
  nbdkit --exit-with-parent -f -p "$port" -i 127.0.0.1 "$@" >"$log" 2>&1 &
  nbdkit_pids+=($!)
  for i in $(seq 50); do
    kill -0 "$!" 2>/dev/null || fail "nbdkit $* on port $port did not start: $(tail -3 "$log")"
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  fail "nbdkit on port $port did not listen within 5 s: $(tail -3 "$log")"
}
start_nbdkit "$fua_port" "$work/nbdkit-fua.log" --filter=fua file "$img" fuamode=force
start_nbdkit "$file_port" "$work/nbdkit-file.log" file "$img"

results="$work/nbd-fio-$(date +%Y%m%d-%H%M%S).jsonl"
"${helper[@]}" header "$dir" "seconds=$seconds" "warmup=$warmup" "repeat=$repeat" "size=$size" "volume=$volume" \
  "fio=$(fio --version)" "nbdkit=$(nbdkit --version | head -1)" > "$results"

disk_floor() { # when
  [ "$floor" -gt 0 ] || return 0
  fio --name=floor --ioengine=psync --rw=randwrite --bs=4k --fdatasync=1 --size=64M --filename="$work/floor.img" \
      --time_based --runtime="$floor" --randrepeat=0 --norandommap --output-format=json \
      >"$work/floor.out" 2>"$work/floor.err" || fail "the disk floor run failed: $(tail -3 "$work/floor.err")"
  "${helper[@]}" floor "$work/floor.out" "$1" >> "$results"
}

note "filling $volume and the baseline image with $size (1M writes, QD16)..."
for uri in "$camber_uri" "nbd://127.0.0.1:$file_port"; do
  fio --name=fill --ioengine=nbd --uri="$uri" --rw=write --bs=1M --iodepth=16 --size="$bytes" \
      --output-format=terse >"$work/fill.out" 2>&1 || fail "filling $uri failed: $(tail -3 "$work/fill.out")"
done
sync "$img" # the baseline's fill must not reach the disk later, inside a Camber job's device count
"${helper[@]}" quiet "$dir" "$settle" || note "the playground was still busy $settle s after the fill"
disk_floor start

run_job() { # target uri rw bs qd
  local target=$1 uri=$2 rw=$3 bs=$4 qd=$5 writes=0
  [[ "$rw" == *write* ]] && writes=1
  local args=(--ioengine=nbd --uri="$uri" --rw="$rw" --bs="$bs" --iodepth="$qd" --size="$bytes" --time_based
              --randrepeat=0 --norandommap)
  if [ "$warmup" -gt 0 ]; then
    fio --name=warmup "${args[@]}" --runtime="$warmup" --output-format=terse >"$work/fio.out" 2>"$work/fio.err" \
      || fail "$target $rw $bs QD$qd warm-up failed: $(tail -3 "$work/fio.err")"
  fi
  # followers apply after the leader answered: let the last job's writes land before counting this one
  [ "$writes" = 1 ] && { "${helper[@]}" quiet "$dir" 5 || true; }
  "${helper[@]}" sample "$dir" $$ "${nbdkit_pids[@]}" >"$work/before.json"
  fio --name="$target" "${args[@]}" --runtime="$seconds" --output-format=json >"$work/fio.out" 2>"$work/fio.err" \
    || fail "$target $rw $bs QD$qd failed: $(tail -3 "$work/fio.err") (for Camber: ./camber playground status)"
  [ "$writes" = 1 ] && { "${helper[@]}" quiet "$dir" 5 || true; }
  "${helper[@]}" sample "$dir" $$ "${nbdkit_pids[@]}" >"$work/after.json"
  "${helper[@]}" job "$work/fio.out" "$work/before.json" "$work/after.json" "$rw $bs $qd" "$target" >> "$results"
}

for ((run = 1; run <= repeat; run++)); do
  for job in "${jobs[@]}"; do
    read -r rw bs qd <<<"$job"
    note "run $run/$repeat: $rw $bs QD$qd"
    run_job camber "$camber_uri" "$rw" "$bs" "$qd"
    if [[ "$rw" == *write* ]]; then
      run_job nbdkit-fua "nbd://127.0.0.1:$fua_port" "$rw" "$bs" "$qd"
    else
      run_job nbdkit-file "nbd://127.0.0.1:$file_port" "$rw" "$bs" "$qd"
    fi
  done
done
disk_floor end

"${helper[@]}" table "$results"
echo "results: $results${device:+ (device $device)}"
