#!/bin/bash
# Instructions per query, counted by valgrind (Debian: `valgrind`), for changes too small for
# this VM's wall-clock noise: a query's instructions do not move from run to run.
#
#   benches/instructions.sh INDEX QUERIES BINARY...
#
# QUERIES is a JSON Lines file of `batch` queries (`qid`, `query`, optional `lang`); every
# sixth is taken, ranking only (`"snippets": false`; PASSAGES=1 asks for passages). Each
# BINARY runs them once and twice over in one one-thread batch, under callgrind. "steady" is
# the difference ÷ the queries: what each query costs once the index is open and each
# locale's tables are read, as in a long batch or a server. "first pass" is the single run
# less a run of one query: a short batch's cost, reading the tables included.
set -euo pipefail
index=$1; queries=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$queries" "$work" "${PASSAGES:-}" <<'PY'
import json, sys
source, work, passages = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
picked = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()][::6]
def write(name, rounds):
    with open(f"{work}/{name}.jsonl", "w", encoding="utf-8") as out:
        for r in range(rounds):
            for q in picked:
                out.write(json.dumps({"qid": f"{q['qid']}-{r}", "query": q["query"],
                                      "lang": q.get("lang"), "snippets": passages}) + "\n")
write("once", 1)
write("twice", 2)
with open(f"{work}/one.jsonl", "w", encoding="utf-8") as out:
    q = picked[0]
    out.write(json.dumps({"qid": "one", "query": q["query"], "lang": q.get("lang"),
                          "snippets": passages}) + "\n")
print(len(picked), file=open(f"{work}/count", "w"))
PY
count=$(cat "$work/count")
instructions() {
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$1" batch "$work/$2.jsonl" --index "$index" 2>&1 >/dev/null |
    awk '/Collected/ {print $4}'
}
for binary in "$@"; do
  one=$(instructions "$binary" one)
  once=$(instructions "$binary" once)
  twice=$(instructions "$binary" twice)
  awk -v b="$binary" -v n="$count" -v one="$one" -v once="$once" -v twice="$twice" 'BEGIN {
    printf "%s: %d queries; steady %.3f M instructions per query, first pass %.3f M\n",
      b, n, (twice - once) / n / 1e6, (once - one) / n / 1e6 }'
done
