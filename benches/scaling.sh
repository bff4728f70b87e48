#!/usr/bin/env bash
# Multi-core scaling of `cloak mask` on one log, for a machine without a Rust
# toolchain: give it a built binary and an input (plain or .gz).
#
#   benches/scaling.sh target/release/cloak log.jsonl.gz "1 2 4 8 16"
set -euo pipefail
BIN=$1 LOG=$2 THREADS=${3:-"1 2 4 8 16"}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
case "$LOG" in *.gz) gunzip -c "$LOG" > "$WORK/log.jsonl"; LOG=$WORK/log.jsonl;; esac
BYTES=$(stat -c %s "$LOG")
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $((BYTES >> 20)) MiB of JSON Lines read as text; mask --transform '*=label', output discarded"
printf '%8s %9s %9s %9s\n' threads seconds MB/s speedup
base=
for t in $THREADS; do
  start=$(date +%s.%N)
  "$BIN" mask -q --transform '*=label' -j "$t" --format text "$LOG" > /dev/null
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  rate=$(awk -v n="$BYTES" -v s="$secs" 'BEGIN { print n / 1000000 / s }')
  base=${base:-$rate}
  printf '%8s %9.2f %9.1f %8.2fx\n' "$t" "$secs" "$rate" "$(awk -v r="$rate" -v b="$base" 'BEGIN { print r / b }')"
done
