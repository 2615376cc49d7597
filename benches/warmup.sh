#!/bin/bash
# Measures how much slower the first query of each script is than a warm one, right after
# `locsearch serve` reports that it listens.
#
#   benches/warmup.sh BINARY INDEX [STARTS] [cold]
#
# For each of STARTS starts (default 6): per script, the first query's time and, as a control,
# a seventh query's, each divided by the median of queries 2-6. With `cold`, the operating
# system's file cache is dropped before each start (needs root). Prints one line per query and
# a summary: how many first queries, and how many controls, took more than twice the median,
# and the percentiles of both ratios.
set -euo pipefail
binary=$1; index=$2; starts=${3:-6}; cold=${4:-}
queries=("reset password" "共享链接 设置" "パスワード リセット" "비밀번호 재설정" "รีเซ็ตรหัสผ่าน"
  "сброс пароля" "Kennwort zurücksetzen" "無法列印")
log=$(mktemp)
results=$(mktemp)
for start in $(seq "$starts"); do
  if [ "$cold" = cold ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
  # A port taken by another program makes `serve` exit: start again on another.
  while true; do
    port=$((20000 + RANDOM % 20000))
    "$binary" serve --index "$index" --addr "127.0.0.1:$port" 2>"$log" &
    pid=$!
    until grep -q listening "$log" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    grep -q listening "$log" && break
    wait "$pid" || true
    grep -q "in use" "$log" || { cat "$log" >&2; exit 1; }
  done
  for q in "${queries[@]}"; do
    t() { curl -s -o /dev/null -w '%{time_total}\n' -G "http://127.0.0.1:$port/search" --data-urlencode "q=$q"; }
    first=$(t); median=$(for _ in 1 2 3 4 5; do t; done | sort -n | sed -n 3p); control=$(t)
    echo "$start|$q|$first|$median|$control" | tee -a "$results" |
      awk -F'|' '{printf "start %s  %-24s first %.1f ms  warm %.1f ms  first/warm %.2f  control/warm %.2f\n", $1, $2, $3*1000, $4*1000, $3/$4, $5/$4}'
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
awk -F'|' '{n++; f += ($3/$4 > 2); c += ($5/$4 > 2); if ($3/$4 > mf) mf = $3/$4; if ($5/$4 > mc) mc = $5/$4}
  END {printf "%d first queries: %d over 2x warm (most %.2fx); controls: %d over 2x (most %.2fx)\n", n, f, mf, c, mc}' "$results"
# The two distributions of ratios: a first query as fast as a warm one has the control's.
for column in 3 5; do
  name=$([ "$column" = 3 ] && echo "first  " || echo "control")
  awk -F'|' -v c="$column" '{print $c/$4}' "$results" | sort -n |
    awk -v name="$name" '{r[NR] = $1} END {printf "%s/warm: p50 %.2f  p90 %.2f  p99 %.2f\n", name, r[int(NR*0.5)+1], r[int(NR*0.9)+1], r[int(NR*0.99)+1]}'
done
rm -f "$log" "$results"
