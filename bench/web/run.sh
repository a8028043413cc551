#!/usr/bin/env bash
# Web UI throughput: wrk against `marsad serve` on loopback, home page and
# article page, over the first N SaudiNewsNet articles (default 3,000).
#
#   bench/web/run.sh                 # N=3000, 15 s per page, 32 connections
#   N=31030 DURATION=30s CONNS=64 bench/web/run.sh
#   NICE=-10 bench/web/run.sh        # as root on a shared machine: server and wrk
#                                    # ahead of other jobs' processes (see docs/benchmarks.md)
#
# PAGE_CACHE (default 2s) is passed to --page-cache; PAGE_CACHE=0 measures
# rendering every request. Needs wrk (apt-get install wrk) and ../shared/data. Prints one markdown
# table row per page for docs/benchmarks.md; exits non-zero on any error
# response or socket error.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-3000}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
NICE=${NICE:-0}
DATA=${DATA:-../shared/data/saudinewsnet/articles.jsonl.gz}
WORK=${WORK:-/tmp/marsad-bench-web}
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
[ -f "$DATA" ] || { echo "no $DATA" >&2; exit 2; }

go build -o "$WORK/marsad" ./cmd/marsad
DB="$WORK/web-$N.db"
if [ ! -f "$DB" ]; then
	(zcat -f "$DATA" || true) | head -n "$N" > "$WORK/articles-$N.jsonl" # zcat dies of SIGPIPE: fine
	"$WORK/marsad" import --db "$DB.tmp" "$WORK/articles-$N.jsonl" >&2
	mv "$DB.tmp" "$DB"; [ -f "$DB.tmp-wal" ] && mv "$DB.tmp-wal" "$DB-wal" || true
	[ -f "$DB.tmp-shm" ] && mv "$DB.tmp-shm" "$DB-shm" || true
fi

PORT=${PORT:-18080}
nice -n "$NICE" "$WORK/marsad" serve --db "$DB" --addr "127.0.0.1:$PORT" --no-crawl --api-rate 0 --page-cache "${PAGE_CACHE:-2s}" --log-level warn 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
	sleep 0.1
done
BASE="http://127.0.0.1:$PORT"
# An article from the middle of the set, so the page is a typical one.
ID=$(curl -fs "$BASE/api/v1/articles?limit=1&offset=$((N / 2))" | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)
[ -n "$ID" ] || { echo "no article id" >&2; exit 1; }

status=0
echo "| page | articles | connections | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for page in "/" "/article/$ID"; do
	curl -fs -o /dev/null "$BASE$page" # warm
	out=$(nice -n "$NICE" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$BASE$page")
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
	ms() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' <<<"$out"; }
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
	sock=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
	errors=$(( ${non2xx:-0} + ${sock:-0} ))
	[ "$errors" -eq 0 ] || status=1
	label=$page; [ "$page" = "/" ] && label="/ (home)" || label="/article/{id}"
	echo "| $label | $N | $CONNS | $rps | $(ms 50%) | $(ms 99%) | $errors |"
done
exit $status
