#!/usr/bin/env bash
# How locsearch's costs grow with the corpus. For each N: a corpus of N copies of CORPUS (every
# locale's article folders again under new names, as hard links: no extra disk for the Markdown),
# then a full build (wall, CPU, peak RSS, size), a no-op re-run, the dev queries ranked on one
# thread (wall and peak RSS of `locsearch batch`), and query latency (p50/p99, ranking only and
# with passages, from `cargo bench --bench query_latency`).
#   cargo build --release && benches/scale.sh CORPUS WORKDIR [N ...]      (default N: 1 2 4 8)
# Needs ../shared/queries/alchemy-dev.jsonl; WORKDIR keeps the copies and one index at a time.
set -euo pipefail
corpus=$(realpath "${1:?corpus dir}"); work=${2:?work dir}; shift 2
if [[ $# -gt 0 ]]; then sizes=("$@"); else sizes=(1 2 4 8); fi
bin=$(realpath target/release/locsearch)
queries=../shared/queries/alchemy-dev.jsonl
[[ -x $bin ]] || { echo "build first: cargo build --release" >&2; exit 2; }
[[ -f $queries ]] || { echo "needs $queries" >&2; exit 2; }
mkdir -p "$work"
timing=$(mktemp); batch=$work/ranking.jsonl
trap 'rm -f "$timing"' EXIT
python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    q = json.loads(line)
    out = {"qid": q["qid"], "query": q["query"], "limit": 10, "snippets": False}
    if q.get("lang"): out["lang"] = q["lang"]
    print(json.dumps(out, ensure_ascii=False))' "$queries" >"$batch"

# N copies of the corpus: copy 1 keeps the folder names, copy k adds "-k" to every folder
# under a locale.
scaled_corpus() {
    local n=$1 target=$work/corpus-$1
    if [[ ! -d $target ]]; then
        mkdir -p "$target.tmp"
        for locale in "$corpus"/*/; do
            locale=$(basename "$locale"); mkdir -p "$target.tmp/$locale"
            for folder in "$corpus/$locale"/*/; do
                folder=$(basename "$folder")
                cp -al "$corpus/$locale/$folder" "$target.tmp/$locale/$folder"
                for k in $(seq 2 "$n"); do
                    cp -al "$corpus/$locale/$folder" "$target.tmp/$locale/$folder-$k"
                done
            done
        done
        mv "$target.tmp" "$target"
    fi
    echo "$target"
}

for n in "${sizes[@]}"; do
    scaled=$(scaled_corpus "$n")
    index=$work/index
    rm -rf "$index"
    find "$scaled" -type f -exec cat {} + >/dev/null
    files=$(find "$scaled" -type f -name '*.md' | wc -l)
    /usr/bin/time -o "$timing" -f '%e %M %U %S' "$bin" index "$scaled" --index "$index" >/dev/null 2>&1
    read -r wall rss user sys <"$timing"
    printf 'N=%d (%d files): build %.1f s wall, %.0f s CPU, %d MB peak RSS, %d MB on disk\n' \
        "$n" "$files" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$(du -sm "$index" | cut -f1)"
    /usr/bin/time -o "$timing" -f '%e %M' "$bin" index "$scaled" --index "$index" >/dev/null 2>&1
    read -r wall rss <"$timing"
    printf 'N=%d: no-op re-run %.1f s, %d MB peak RSS\n' "$n" "$wall" $((rss / 1024))
    RAYON_NUM_THREADS=1 /usr/bin/time -o "$timing" -f '%e %M' \
        "$bin" batch "$batch" --index "$index" >/dev/null 2>&1
    read -r wall rss <"$timing"
    printf 'N=%d: dev queries ranked on one thread: %.1f s, %d MB peak RSS\n' "$n" "$wall" $((rss / 1024))
    LOCSEARCH_BENCH_INDEX=$index LOCSEARCH_BENCH_CORPUS=/nonexistent \
        cargo bench --quiet --bench query_latency 2>/dev/null | grep '^locsearch' | sed "s/^/N=$n: /"
done
