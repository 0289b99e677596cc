#!/usr/bin/env bash
# scaling.sh measures how the search scales with cores and with worker
# processes (issue 20, point 6) in one run, for the day a 16-core machine
# is lent; on a smaller machine set MAX to its cores.
#
#   scripts/scaling.sh [OUT [PART]]
#
# OUT is the results directory (default scaling-<date>); PART is flips (the
# flips/s runs, about 3 minutes with the defaults), targets (the
# time-to-target runs, at most 4 x TARGET_TIME) or all (the default): a
# device command of 10 minutes runs one part at a time.
#
# Environment: MAX (most walkers or processes, default 16), FLIPS_TIME (each
# flips/s run, default 15s), TARGET_TIME (each time-to-target run, default
# 90s), SEEDS (runs per walker count to the targets, default 1), ALPHAMAT
# (a built alphamat to use instead of building one here). Into OUT
# it writes machine.txt (commit, nproc, uptime before and after each part) and, each
# as JSON with a report or log:
#   walkers       bench search, 4x4x4 over Z2, 1, 2, 4, ... MAX walkers in one
#                 process: flips/s and its speedup over one walker
#   procs         bench cluster, 4x4x4, 1, 2, 4, ... MAX worker processes of one
#                 walker joined to a hub: flips/s, flips per CPU-second, the
#                 hub's share of the CPU, ratios against one process
#   target-5x5x5  bench search --cyclic to 5x5x5 -> 96 with 1 and MAX walkers
#   target-4x5x5  bench search to 4x5x5 -> 76 with 1 and MAX walkers
# The goal of issue 20: flips/s with 16 walkers at least 14 x one walker.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX=${MAX:-16}
FLIPS_TIME=${FLIPS_TIME:-15s}
TARGET_TIME=${TARGET_TIME:-90s}
SEEDS=${SEEDS:-1}
OUT=${1:-scaling-$(date -u +%Y%m%d-%H%M)}
PART=${2:-all}
case $PART in flips | targets | all) ;; *)
	echo "scaling.sh: part $PART: want flips, targets or all" >&2
	exit 2
	;;
esac
mkdir -p "$OUT"
counts=1
for n in 2 4 8 16 32 64; do
	if [ "$n" -le "$MAX" ]; then counts="$counts,$n"; fi
done
A=${ALPHAMAT:-}
if [ -z "$A" ]; then
	go build -o "$OUT/alphamat" ./cmd/alphamat
	A="$OUT/alphamat"
fi
{
	echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "nproc $(nproc)"
	echo "$PART, before: $(uptime)"
} | tee -a "$OUT/machine.txt"

if [ "$PART" != targets ]; then
echo "== walkers: 4x4x4 over Z2, $counts walkers in one process, $FLIPS_TIME each"
"$A" bench search --formats 4x4x4 --target 40 --workers "$counts" --seeds 1 --time "$FLIPS_TIME" \
	--json --report "$OUT/walkers" >"$OUT/walkers.json"
cat "$OUT/walkers/report.md"

echo "== procs: 4x4x4 over Z2, $counts worker processes of one walker, $FLIPS_TIME each"
"$A" bench cluster --format 4x4x4 --procs "$counts" --walkers 1 --time "$FLIPS_TIME" --slice 5s \
	--rounds 1 --json >"$OUT/procs.json" 2> >(tee "$OUT/procs.log" >&2)
fi

if [ "$PART" != flips ]; then
# Cyclic walkers on 5x5x5 (search --cyclic; none on 4x5x5, which is not square).
for ft in 5x5x5:96 4x5x5:76; do
	f=${ft%:*} target=${ft#*:}
	echo "== target-$f: $f over Z2 to $target, 1 and $MAX walkers, $SEEDS seeds of at most $TARGET_TIME"
	"$A" bench search --formats "$f" --target "$target" --workers "1,$MAX" --seeds "$SEEDS" --time "$TARGET_TIME" \
		--cyclic --json --report "$OUT/target-$f" >"$OUT/target-$f.json"
	cat "$OUT/target-$f/report.md"
done
fi
echo "$PART, after: $(uptime)" | tee -a "$OUT/machine.txt"
