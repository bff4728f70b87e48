#!/usr/bin/env bash
# Batch pipeline throughput: 1 and 2 threads (or the list in THREADS), JSON
# Lines field selection and CSV column selection against plain text of the
# same bytes, and peak memory on a large file with multi-megabyte lines.
#
#   benches/batch.sh                 # 200 MB log, threads "1 2", 1 GB large-file test
#   MB=50 BIG_MB=0 benches/batch.sh  # smaller log, no large-file test
#   THREADS="1 2 4 8 16" benches/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-200}
BIG_MB=${BIG_MB:-1024}
THREADS=${THREADS:-"1 2"}
CORPUS=${CORPUS:-../shared/corpus}
WORK=${WORK:-$(mktemp -d)}
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
CLOAK=target/release/cloak
python3 benches/make_log.py "$CORPUS" "$WORK/log" "$MB"
BYTES=$(stat -c %s "$WORK/log.jsonl")
CSV_BYTES=$(stat -c %s "$WORK/log.csv")
echo "machine: $(nproc) cores, $(uname -m); input: $WORK/log.jsonl ($((BYTES >> 20)) MiB), log.csv ($((CSV_BYTES >> 20)) MiB)"

# seconds and peak RSS (MiB) of one masking run, output discarded
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$CLOAK" mask -q --transform '*=label' "$@" >/dev/null
  read -r secs kb < "$WORK/time"
  echo "$secs $((kb >> 10))"
}

printf '%-44s %8s %9s %9s\n' "run" "seconds" "MB/s" "peak MiB"
row() { # name bytes secs rss
  printf '%-44s %8.2f %9.1f %9s\n' "$1" "$3" "$(echo "$2 / 1000000 / $3" | bc -l)" "$4"
}
declare -A RATE
for t in $THREADS; do
  read -r s m < <(measure -j "$t" --format text "$WORK/log.jsonl")
  row "plain text, $t thread(s)" "$BYTES" "$s" "$m"
  RATE[$t]=$(echo "$BYTES / $s" | bc -l)
done
first=${THREADS%% *}
for t in $THREADS; do
  printf '  scaling %2s threads vs %s: %.2fx\n' "$t" "$first" "$(echo "${RATE[$t]} / ${RATE[$first]}" | bc -l)"
done
last=${THREADS##* }
read -r s m < <(measure -j "$last" --format text "$WORK/log.jsonl"); text_s=$s
read -r s m < <(measure -j "$last" --format jsonl --field msg "$WORK/log.jsonl")
row "jsonl --field msg, $last thread(s)" "$BYTES" "$s" "$m"
printf '  jsonl field selection vs plain text: %+.0f%%\n' "$(echo "($s / $text_s - 1) * 100" | bc -l)"
read -r s m < <(measure -j "$last" --format text "$WORK/log.csv"); ctext_s=$s
read -r s m < <(measure -j "$last" --format csv --column msg "$WORK/log.csv")
row "csv --column msg, $last thread(s)" "$CSV_BYTES" "$s" "$m"
printf '  csv column selection vs plain text: %+.0f%%\n' "$(echo "($s / $ctext_s - 1) * 100" | bc -l)"

if [ "$BIG_MB" -gt 0 ]; then
  CLOAK_BIG_MB=$BIG_MB TMPDIR=$WORK cargo test --release --quiet --test batch large_file_in_bounded_memory \
    -- --ignored --nocapture 2>&1 | grep -E "large file|panicked|FAILED" || true
fi
