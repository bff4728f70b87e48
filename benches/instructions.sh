#!/usr/bin/env bash
# Instructions of the scan (valgrind's callgrind, stable on a noisy machine)
# spent on the last third of a gold file's documents after the first two
# thirds: the cost of fresh text once the engine has warmed up (compiled the
# forms it needs, built the lazy-DFA states the first texts asked for).
#
# usage: benches/instructions.sh FILE.jsonl [cloak eval options...]
# CLOAK=path picks the binary (default target/release/cloak).
set -euo pipefail
file=$1; shift
cloak=${CLOAK:-target/release/cloak}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=$(wc -l < "$file"); k=$((n * 2 / 3))
head -n "$k" "$file" > "$tmp/first.jsonl"
count() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --collect-atstart=no \
        --toggle-collect='*Engine*candidates*' "$cloak" eval "$1" "${@:2}" 2>&1 >/dev/null |
        awk '/Collected/ {print $4}'
}
bytes() { python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1]) if l.strip()))' "$1"; }
a=$(count "$tmp/first.jsonl" "$@"); b=$(count "$file" "$@")
ba=$(bytes "$tmp/first.jsonl"); bb=$(bytes "$file")
echo "$file: last third $((b - a)) instructions for $((bb - ba)) bytes, $(((b - a) / (bb - ba))) per byte (first two thirds: $a)"
