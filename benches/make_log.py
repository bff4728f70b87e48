#!/usr/bin/env python3
"""Builds a mixed log from the evaluation corpus: every document becomes the
message of a JSON Lines record (with a timestamp, a level and a service), and
the same records are written as CSV. Records are repeated in a fixed
pseudo-random order until the JSON Lines file reaches the size asked for.

usage: make_log.py CORPUS_DIR OUT_PREFIX MEGABYTES
writes OUT_PREFIX.jsonl and OUT_PREFIX.csv
"""
import csv
import json
import pathlib
import random
import sys


def main():
    corpus, prefix, mb = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    texts = []
    for f in sorted(corpus.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    if not texts:
        sys.exit(f"no documents under {corpus}")
    rng = random.Random(20261127)
    services = ["payments-api", "kyc-service", "ehr-sync", "portal", "billing"]
    levels = ["INFO", "INFO", "INFO", "WARN", "ERROR"]
    target = mb << 20
    written = 0
    with open(prefix + ".jsonl", "w", encoding="utf-8") as j, open(prefix + ".csv", "w", encoding="utf-8", newline="") as c:
        w = csv.writer(c)
        w.writerow(["ts", "level", "service", "msg"])
        i = 0
        while written < target:
            text = texts[rng.randrange(len(texts))]
            ts = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z"
            rec = {"ts": ts, "level": levels[i % 5], "service": services[i % 5], "msg": text}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            j.write(line)
            w.writerow([ts, rec["level"], rec["service"], text])
            written += len(line.encode("utf-8"))
            i += 1


if __name__ == "__main__":
    main()
