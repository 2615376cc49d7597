#!/usr/bin/env bash
# Whole-corpus index build, repeated: wall time and peak RSS of every run, their median, the size
# on disk, and the no-op re-run. This VM's timings swing by several seconds from run to run, so
# one run proves little; the median of five is what BENCHMARKS.md quotes.
#   cargo build --release && benches/index-build.sh /tmp/alchemy [RUNS] [INDEX_DIR]
set -euo pipefail
corpus=${1:?corpus dir}; runs=${2:-5}; index=${3:-/tmp/locsearch-bench-index}
bin=target/release/locsearch
[[ -x $bin ]] || { echo "build first: cargo build --release" >&2; exit 2; }
# Warm the page cache so that the first run measures the same work as the others.
find "$corpus" -type f -exec cat {} + >/dev/null
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
walls=()
for i in $(seq "$runs"); do
    rm -rf "$index"
    /usr/bin/time -o "$timing" -f '%e %M %U %S' "$bin" index "$corpus" --index "$index" >/dev/null 2>&1
    read -r wall rss user sys <"$timing"
    printf 'run %d: %6.2f s wall, %4d MB peak RSS, %5.1f s user + %4.1f s system\n' \
        "$i" "$wall" $((rss / 1024)) "$user" "$sys"
    walls+=("$wall")
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
echo "median wall: $median s over $runs runs"
echo "on disk: $(du -sm "$index" | cut -f1) MB ($(du -sm --apparent-size "$index" | cut -f1) MB apparent)"
/usr/bin/time -o "$timing" -f '%e %M' "$bin" index "$corpus" --index "$index" >/dev/null 2>&1
read -r wall rss <"$timing"
echo "no-op re-run: $wall s, $((rss / 1024)) MB peak RSS"
