#!/usr/bin/env bash
# File-system benchmark: the same workload on a Camber mount and on a local directory, in one run, with the
# ratio per test. Metadata phases are mdtest's (create/stat/read/remove of 4 KiB files, create/stat/remove of
# directories; 1 and 4 workers, each in its own directory), then fio (4k random write and read, 1M sequential
# write and read; psync, buffered, writes end with fsync), then tar xf of /usr/share/doc followed by sync.
# Needs: fio, tar, python3; root to drop the page cache before reads (otherwise reads may be cached).
#
#   bench/fs-bench.sh MOUNT_DIR [LOCAL_DIR]        LOCAL_DIR defaults to a new directory under /tmp (ext4 here)
#
# Environment (all optional):
#   FILES=1000      files (and directories) per worker in the metadata phases
#   THREADS="1 4"   worker counts of the metadata phases
#   WARMUP=200      files per worker of an unmeasured first round (4 workers) on each target: a mount is a
#                   long-running JVM, so its steady state is what counts, not the minutes its JIT takes to warm
#                   up (measured cold, the first phases ran up to 3.7x slower); 0 measures cold
#   FIO_SIZE=256M   file size of the fio jobs      FIO_SECONDS=20  time cap per fio job
#   TARBALL=        a tarball to untar (default: one made from /usr/share/doc, once per run)
#   SKIP=           space-separated phases to leave out: meta fio untar (the table shows '-' for them)
# Results: playground/bench/fs-bench-<time>.jsonl (render again: python3 bench/fs_bench.py table FILE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

fail() { echo "fs-bench: $*" >&2; exit 2; }
note() { echo "fs-bench: $*" >&2; }

[ $# -ge 1 ] && [ $# -le 2 ] || fail "usage: $0 MOUNT_DIR [LOCAL_DIR]"
mount_dir="$(realpath "$1")" || fail "$1 does not exist"
[ -d "$mount_dir" ] || fail "$mount_dir is not a directory: mount Camber there first (camber fs mount NAME DIR --daemon)"
local_dir="${2:-}"
files="${FILES:-1000}"
threads="${THREADS:-1 4}"
fio_size="${FIO_SIZE:-256M}"
fio_seconds="${FIO_SECONDS:-20}"
skip=" ${SKIP:-} "
for tool in fio tar python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install $tool"
done
[[ "$files" =~ ^[0-9]+$ ]] && [ "$files" -ge 1 ] || fail "FILES must be a positive number, not '$files'"
warmup="${WARMUP:-200}"
[[ "$warmup" =~ ^[0-9]+$ ]] || fail "WARMUP must be a number, not '$warmup'"

work_mount="$mount_dir/fs-bench-$$"
made_local=""
if [ -z "$local_dir" ]; then
  local_dir="$(mktemp -d /tmp/fs-bench-local.XXXXXX)"
  made_local="$local_dir"
fi
work_local="$local_dir/fs-bench-$$"
mkdir "$work_mount" "$work_local"
tarball=""
cleanup() {
  rm -rf "$work_mount" "$work_local"
  [ -n "$made_local" ] && rmdir "$made_local"
  [ -z "${TARBALL:-}" ] && [ -n "$tarball" ] && rm -f "$tarball"
  true
}
trap cleanup EXIT

mkdir -p playground/bench
results="$repo/playground/bench/fs-bench-$(date -u +%Y%m%d-%H%M%S).jsonl"
helper=(python3 "$repo/bench/fs_bench.py")
echo "{\"run\": \"$(date -u +%FT%TZ)\", \"mount\": \"$mount_dir\", \"local\": \"$local_dir\", \"mount_fs\": \"$(stat -f -c %T "$mount_dir")\", \"local_fs\": \"$(stat -f -c %T "$local_dir")\", \"files\": $files, \"fio_size\": \"$fio_size\", \"cpus\": $(nproc)}" >"$results"

# One step on both targets, the Camber mount first, each line tagged with its target.
both() {
  local target dir
  for target in mount local; do
    dir="$work_mount"
    [ "$target" = local ] && dir="$work_local"
    note "$target: $*"
    "${helper[@]}" "$1" "$dir" "${@:2}" | sed "s/^{/{\"target\": \"$target\", /" >>"$results"
  done
}

if [[ "$skip" != *" meta "* ]]; then
  if [ "$warmup" -gt 0 ]; then
    for dir in "$work_mount" "$work_local"; do
      note "warm-up (not measured): run 4 $warmup in $dir"
      "${helper[@]}" run "$dir" 4 "$warmup" >/dev/null
    done
  fi
  for t in $threads; do
    both run "$t" "$files"
  done
fi
if [[ "$skip" != *" fio "* ]]; then
  for job in "randwrite 4k" "randread 4k" "write 1M" "read 1M"; do
    # shellcheck disable=SC2086
    both fio $job "$fio_size" "$fio_seconds"
  done
fi
if [[ "$skip" != *" untar "* ]]; then
  tarball="${TARBALL:-}"
  if [ -z "$tarball" ]; then
    tarball="$(mktemp /tmp/fs-bench-doc.XXXXXX.tar)"
    tar cf "$tarball" -C /usr/share doc 2>/dev/null || [ -s "$tarball" ] || fail "cannot tar /usr/share/doc"
  fi
  both untar "$tarball"
fi

"${helper[@]}" table "$results"
echo "results: $results"
