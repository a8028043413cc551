#!/bin/sh
# servemem.sh BINARY LABEL [LOAD_SECONDS]: serve's memory at 310k
# (docs/benchmarks.md, "Serve's memory at 310k"). Serves a fresh copy of the
# database benchall -prepare built (never the cached file itself: serve may
# write), waits until the search index is built and the stories are loaded,
# prints VmHWM/VmRSS and the CPU taken, optionally runs serveload for
# LOAD_SECONDS and prints them again, then stops serve with SIGINT (a heap
# profile is written to $OUT/heap-LABEL.pprof).
set -e
BIN=$1; L=$2; LOAD=$3
OUT=${OUT:-/tmp/servemem}; PORT=${PORT:-18931}
DB=${DB:-$(ls /work/cache/marsad-x10-*.db 2>/dev/null | head -1)}
mkdir -p "$OUT"
rm -f "$OUT"/copy.db*
cp "$DB" "$OUT"/copy.db
MARSAD_HEAPPROFILE="$OUT/heap-$L.pprof" nice "$BIN" serve --no-crawl --db "$OUT"/copy.db --addr 127.0.0.1:$PORT > "$OUT/serve-$L.log" 2>&1 &
PID=$!
START=$(date +%s)
while :; do
  sleep 2
  T=$(( $(date +%s) - START ))
  grep VmRSS /proc/$PID/status | awk -v t=$T '{print t, $2}' >> "$OUT/rss-$L.txt"
  N=$(curl -s http://127.0.0.1:$PORT/metrics | awk '/^marsad_search_index_articles/ {print $2}')
  if grep -q "stories loaded" "$OUT/serve-$L.log" && [ -n "$N" ] && [ "$N" != "0" ]; then break; fi
  if [ $T -gt 1800 ]; then echo timeout; break; fi
done
sleep 15 # the loads' end: GC target restored, FreeOSMemory, memory limit
echo "label=$L index=$N took=${T}s"
awk '{printf "cpu_s=%.1f\n", ($14+$15)/100}' /proc/$PID/stat
grep -E "VmHWM|VmRSS|RssAnon|RssFile" /proc/$PID/status
if [ -n "$LOAD" ]; then
  (cd "$(dirname "$0")" && go run ./cmd/serveload -base http://127.0.0.1:$PORT -d ${LOAD}s)
  echo "after ${LOAD}s of traffic:"; grep -E "VmHWM|VmRSS" /proc/$PID/status
fi
kill -INT $PID; wait $PID || true
