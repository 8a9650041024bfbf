#!/bin/bash
# P9b side by side (test/bench/FINDINGS.md, t/count): alternating rounds of a baseline build's bundle
# (BASE, a worktree of main with `npm run build` done), this checkout's bundle and grep -c over the
# bench's 1 GB log (made by any P9 bench run), each under flock /tmp/bench.lock and /usr/bin/time;
# prints the median wall and CPU (user+sys) of each, the load at each round, and the counts.
#   BASE=/tmp/base-NAME N=9 test/bench/ab-count.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
F=${LOG:-${TMPDIR:-/tmp}/opsdeck-test-cache/big-1024m-v1.txt}
BASE=${BASE:?a baseline checkout with build/bundle}
PAT=${PAT:-'status=5\d\d'}
GPAT=${GPAT:-'status=5[0-9][0-9]'}
N=${N:-7}
out=$(mktemp)
for _ in $(seq "$N"); do
	for who in base new grep; do
		case $who in
			base) cmd=(node "$BASE/build/bundle/bin.js" logs "$F" --grep "$PAT" --count) ;;
			new) cmd=(node "$here/build/bundle/bin.js" logs "$F" --grep "$PAT" --count) ;;
			grep) cmd=(grep -c -E "$GPAT" "$F") ;;
		esac
		load=$(cut -d' ' -f1 /proc/loadavg)
		times=$(flock /tmp/bench.lock /usr/bin/time -f '%e %U %S' "${cmd[@]}" 2>&1 >"$out.stdout")
		echo "$who $times $load $(cat "$out.stdout")" >>"$out"
	done
done
python3 - "$out" <<'PY'
import sys, statistics as st
rows = [line.split() for line in open(sys.argv[1])]
for who in ['base', 'new', 'grep']:
    r = [x for x in rows if x[0] == who]
    wall = [float(x[1]) for x in r]; cpu = [float(x[2]) + float(x[3]) for x in r]; load = [float(x[4]) for x in r]
    print(f"{who:5} wall median {st.median(wall):.2f} s ({min(wall):.2f}-{max(wall):.2f})  cpu median {st.median(cpu):.2f} s ({min(cpu):.2f}-{max(cpu):.2f})  load {min(load):.2f}-{max(load):.2f}  counts {sorted(set(x[5] for x in r))}")
g = st.median([float(x[1]) for x in rows if x[0] == 'grep'])
for who in ['base', 'new']:
    print(who, 'ratio of median walls to grep:', round(st.median([float(x[1]) for x in rows if x[0] == who]) / g, 2))
PY
rm -f "$out" "$out.stdout"
