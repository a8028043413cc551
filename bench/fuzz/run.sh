#!/bin/sh
# run.sh runs marsad's Go fuzz targets one after another, each for FUZZTIME
# with one worker (fuzzing is CPU-bound; run it on a quiet machine or in the
# background). Targets come from a queue file, one "package FuzzName" per
# line, read again before each target so targets can be added while it runs.
# Each target is fuzzed on a snapshot of a committed revision (REF), so edits
# in the work tree never break a run; crashers are copied to OUT.
#
#   bench/fuzz/run.sh [queue-file]      (default: bench/fuzz/targets)
#   FUZZTIME=10m REF=HEAD LOG=fuzz.log OUT=fuzz-crashers bench/fuzz/run.sh
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
queue=${1:-$repo/bench/fuzz/targets}
FUZZTIME=${FUZZTIME:-10m}
REF=${REF:-HEAD}
LOG=${LOG:-$repo/fuzz.log}
OUT=${OUT:-$repo/fuzz-crashers}
snap=${SNAP:-/tmp/marsad-fuzz-snapshot}
done_file=$queue.done
touch "$done_file"
while :; do
	next=$(grep -v '^#' "$queue" | grep -v '^ *$' | grep -vxF -f "$done_file" | head -n 1)
	[ -n "$next" ] || break
	echo "$next" >>"$done_file"
	set -- $next
	pkg=$1 target=$2
	rev=$(git -C "$repo" rev-parse --short "$REF")
	rm -rf "$snap" && mkdir -p "$snap"
	git -C "$repo" archive "$REF" | tar -x -C "$snap"
	start=$(date +%s)
	echo "$(date -u +%FT%TZ) start $pkg $target rev $rev fuzztime $FUZZTIME" >>"$LOG"
	(cd "$snap" && go test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" -timeout 0 -parallel 1 "./$pkg") >"$snap.out" 2>&1
	rc=$?
	end=$(date +%s)
	last=$(grep 'execs:' "$snap.out" | tail -n 1)
	crashers=0
	if [ -d "$snap/$pkg/testdata/fuzz/$target" ]; then
		# Files not in the committed corpus are new crashers.
		for f in "$snap/$pkg/testdata/fuzz/$target"/*; do
			if ! git -C "$repo" cat-file -e "$REF:$pkg/testdata/fuzz/$target/$(basename "$f")" 2>/dev/null; then
				mkdir -p "$OUT/$pkg/$target" && cp "$f" "$OUT/$pkg/$target/"
				crashers=$((crashers + 1))
			fi
		done
	fi
	echo "$(date -u +%FT%TZ) end $pkg $target rc=$rc seconds=$((end - start)) new_crashers=$crashers | $last" >>"$LOG"
	if [ "$rc" -ne 0 ]; then
		grep -v -e '^ *$' -e 'fuzz: elapsed' "$snap.out" | head -n 40 | sed 's/^/    /' >>"$LOG"
	fi
done
rm -rf "$snap" "$snap.out"
echo "$(date -u +%FT%TZ) queue empty" >>"$LOG"
