#!/usr/bin/env bash
# Cloak against the peer detectors on one gold file, side by side in one run:
# recall, masked recall, precision (all by ../shared/peers/score.py, EVAL.md)
# and single-thread MB/s, with Cloak's speed ratio to each peer.
#
#   benches/compare.sh [GOLD.jsonl]          # default: ../shared/corpus/faker_mixed.jsonl
#   TOOLS="datafog-core presidio-regex" LIMIT=200 benches/compare.sh GOLD.jsonl
#
# Needs the peers installed once (../shared/peers/README.md):
#   PEERS_DIR=$HOME/peers bash ../shared/peers/setup.sh
# PEERS_DIR defaults to $HOME/peers. LIMIT (default 300) caps the documents
# given to the slow peers (presidio-spacy, philter-lite); their speed is
# measured on that sample, their accuracy on it too (marked in the table).
set -euo pipefail
cd "$(dirname "$0")/.."
GOLD=${1:-../shared/corpus/faker_mixed.jsonl}
PEERS=${PEERS:-../shared/peers}
export PEERS_DIR=${PEERS_DIR:-$HOME/peers}
TOOLS=${TOOLS:-"datafog-core datafog-rust hyperscan presidio-regex scrubadub presidio-spacy philter-lite"}
SLOW=" presidio-spacy presidio-spacy-batch philter-lite scrubadub-spacy "
LIMIT=${LIMIT:-300}
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT

cargo build --release --quiet
head -n "$LIMIT" "$GOLD" > "$OUT/sample.jsonl"

score() { # gold pred -> json
  python3 "$PEERS/score.py" "$1" "$2" --map "$PEERS/label_map.json" --json
}

# Cloak: predictions in the gold format, speed from eval's own timing (one thread).
target/release/cloak eval "$GOLD" --json --predictions "$OUT/cloak.pred.jsonl" > /dev/null 2> "$OUT/cloak.err"
score "$GOLD" "$OUT/cloak.pred.jsonl" > "$OUT/cloak.score.json"
python3 - "$OUT/cloak.err" > "$OUT/cloak.run.json" <<'PY'
import json, re, sys
m = re.search(r"([0-9.]+) MB scanned in ([0-9.]+) s", open(sys.argv[1]).read())
print(json.dumps({"mb_per_s": float(m.group(1)) / float(m.group(2))}))
PY

for tool in $TOOLS; do
  gold=$GOLD
  case "$SLOW" in *" $tool "*) gold=$OUT/sample.jsonl;; esac
  if python3 "$PEERS/run_peer.py" "$tool" "$gold" --out "$OUT/$tool.spans.jsonl" > "$OUT/$tool.run.out" 2> "$OUT/$tool.err"; then
    tail -n 1 "$OUT/$tool.run.out" > "$OUT/$tool.run.json"
    score "$gold" "$OUT/$tool.spans.jsonl" > "$OUT/$tool.score.json" || echo "{}" > "$OUT/$tool.score.json"
    [ "$gold" = "$GOLD" ] || echo "$LIMIT" > "$OUT/$tool.sampled"
  else
    echo "compare.sh: $tool failed: $(tail -n 1 "$OUT/$tool.err")" >&2
  fi
done

python3 - "$OUT" "$GOLD" cloak $TOOLS <<'PY'
import json, os, sys
out, gold, tools = sys.argv[1], sys.argv[2], sys.argv[3:]
def load(name):
    try:
        return json.load(open(os.path.join(out, name)))
    except (OSError, ValueError):
        return None
rows = []
for t in tools:
    run, sc = load(f"{t}.run.json"), load(f"{t}.score.json")
    if not run or not sc:
        continue
    sampled = os.path.exists(os.path.join(out, f"{t}.sampled"))
    rows.append((t + (" (sample)" if sampled else ""), sc.get("recall"), sc.get("masked_recall"), sc.get("precision"), run.get("mb_per_s")))
cloak_speed = rows[0][4] if rows and rows[0][0] == "cloak" else None
print(f"gold: {gold}")
print(f"| tool | recall | masked recall | precision | MB/s (1 thread) | cloak speed ratio |")
print(f"|---|---|---|---|---|---|")
f = lambda x, d=3: "n/a" if x is None else f"{x:.{d}f}"
for name, r, m, p, s in rows:
    ratio = "1" if name == "cloak" else ("n/a" if not s or not cloak_speed else f"{cloak_speed / s:.1f}x")
    print(f"| {name} | {f(r)} | {f(m)} | {f(p)} | {f(s, 3)} | {ratio} |")
PY
