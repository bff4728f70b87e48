#!/usr/bin/env bash
# Start-up cost of one small run: wall time and peak RSS of `cloak mask` on
# the clinical-note fixture (labels, and tokens with a fresh vault), five
# times each, against the 100 MB memory target; then the same note in Greek
# and Russian (text outside the Latin set compiles the rules' wider forms).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
HOME_DIR=$(mktemp -d); trap 'rm -rf "$HOME_DIR"' EXIT
INPUT=fixtures/clinical_note.txt
run() { # label, args...
  local label=$1; shift
  for _ in 1 2 3 4 5; do
    HOME=$HOME_DIR /usr/bin/time -f "%e %M" -o "$HOME_DIR/t" target/release/cloak "$@" "$INPUT" > /dev/null 2>&1
    cat "$HOME_DIR/t"
  done | sort -n | awk -v l="$label" '{ s[NR] = $1; m = ($2 > m ? $2 : m) }
    END { printf "%-34s median %.2f s, peak RSS %d MB (target < 100 MB: %s)\n", l, s[3], m / 1024, (m / 1024 < 100 ? "met" : "NOT met") }'
}
run "mask --transform '*=label'" mask --transform '*=label'
run "mask (tokens, vault)" mask
run "scan" scan
INPUT=fixtures/clinical_note_greek.txt
run "Greek: mask --transform '*=label'" mask --transform '*=label'
