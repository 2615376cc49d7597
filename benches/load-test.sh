#!/usr/bin/env bash
# Load test of `locsearch serve` on a real index with wrk (Debian's `wrk`), at 1, 8 and 64
# connections, with an index update in the middle of the 8-connection run.
#   benches/load-test.sh /tmp/alchemy /tmp/idx      (LOCSEARCH_BIN: another binary to measure)
# CORPUS must be the corpus the index was built from: one of its files is edited and restored.
set -euo pipefail
corpus=${1:?corpus dir}; index=${2:?index dir}
bin=${LOCSEARCH_BIN:-target/release/locsearch}
port=7790
$bin serve --index "$index" --addr 127.0.0.1:$port 2>/tmp/locsearch-serve.log &
server=$!
# The server's own memory (RssAnon: not the index files it maps), its peak sampled every 0.1 s.
( peak=0
  while anon=$(awk '/^RssAnon/ {print $2}' /proc/$server/status 2>/dev/null) && [[ -n $anon ]]; do
      (( anon > peak )) && peak=$anon && echo "$peak" > /tmp/locsearch-anon-peak
      sleep 0.1
  done ) &
sampler=$!
trap 'kill $server $sampler 2>/dev/null || true' EXIT
# The server says it listens once its warm-up is done: that can take longer than a fixed sleep.
for _ in $(seq 600); do grep -q listening /tmp/locsearch-serve.log && break; sleep 0.1; done
for c in 1 8 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    updater=
    if [[ $c == 8 ]]; then
        ( sleep 3
          file=$(find "$corpus" -name '*.md' -print -quit)
          cp "$file" /tmp/locsearch-load-backup.md
          echo "Load test edit." >> "$file"
          $bin index "$corpus" --index "$index" >/dev/null 2>&1
          cp /tmp/locsearch-load-backup.md "$file"
          echo "index update done during the 8-connection run" >&2 ) &
        updater=$!
    fi
    echo "== $c connections"
    wrk -t$threads -c$c -d10s --latency -s benches/load.lua http://127.0.0.1:$port/ | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in'
    if [[ -n "$updater" ]]; then wait "$updater" || echo "index update failed"; fi
done
echo "server peak RSS: $(grep VmHWM /proc/$server/status)"
echo "server peak anonymous memory: $(( $(cat /tmp/locsearch-anon-peak) / 1024 )) MB"
# grep -c exits 1 when it counts nothing, which is the good outcome here: not a failure.
{ grep -c ' 200 ' /tmp/locsearch-serve.log || true; } | xargs echo "200 responses logged:"
{ grep -vc ' 200 \|listening\|reloaded\|changed' /tmp/locsearch-serve.log || true; } | xargs echo "other lines:"
# Put the index back to the corpus as it was.
$bin index "$corpus" --index "$index" >/dev/null 2>&1
