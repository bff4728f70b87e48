#!/usr/bin/env python3
"""Write the upper- and lower-cased copies of a gold file, to measure text
written in capitals (nursing notes) and in lower case (chats, speech-to-text
transcripts, lower-cased exports) with `cloak eval`.

usage: python3 scripts/case_copies.py GOLD.jsonl OUT_DIR

Writes OUT_DIR/NAME_upper.jsonl and OUT_DIR/NAME_lower.jsonl. Gold spans are
character offsets, so a document whose length changes with its case ("ß" ->
"SS") is left out of both copies; the count left out is printed.
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gold, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    name = os.path.splitext(os.path.basename(gold))[0]
    docs = [json.loads(line) for line in open(gold, encoding="utf-8") if line.strip()]
    kept = [d for d in docs if len(d["text"].upper()) == len(d["text"]) == len(d["text"].lower())]
    for case in ("upper", "lower"):
        path = os.path.join(out, f"{name}_{case}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for d in kept:
                f.write(json.dumps(dict(d, text=getattr(d["text"], case)()), ensure_ascii=False) + "\n")
        print(f"{path}: {len(kept)} documents ({len(docs) - len(kept)} left out: length changes with case)")


if __name__ == "__main__":
    main()
