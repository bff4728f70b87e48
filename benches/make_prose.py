#!/usr/bin/env python3
"""Builds a gold file of real prose with few identifiers from this machine's
package documentation (/usr/share/doc: changelogs, copyright files, READMEs):
text of varied words, unlike the benchmark's generated filler, whose small
vocabulary lets lazy DFAs build every state they need in the first kilobytes.
Documents of about 16 KB, no gold spans (the file measures speed, not
accuracy). The text depends on the packages installed.

usage: make_prose.py OUT.jsonl [MEGABYTES]   (default 3.3)
"""
import gzip
import json
import os
import random
import sys


def main():
    out, mb = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3.3
    files = []
    for root, _, names in os.walk("/usr/share/doc"):
        for name in names:
            if (name.startswith("changelog") and name.endswith(".gz")) or name == "copyright" \
                    or name.endswith(".txt") or name.startswith("README"):
                files.append(os.path.join(root, name))
    files.sort()
    random.Random(7).shuffle(files)
    texts, total = [], 0
    for path in files:
        try:
            raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError, EOFError):
            continue
        texts.append(text)
        total += len(raw)
        if total > mb * 1e6:
            break
    text = "\n".join(texts)
    with open(out, "w", encoding="utf-8") as f:
        i, n = 0, 0
        while i < len(text):
            chunk = text[i:i + 16000]
            cut = chunk.rfind("\n")
            if cut > 1000:
                chunk = chunk[:cut + 1]
            f.write(json.dumps({"id": f"prose-{n}", "text": chunk, "spans": []}) + "\n")
            n, i = n + 1, i + len(chunk)
    print(f"{out}: {n} documents, {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
