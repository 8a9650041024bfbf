#!/usr/bin/env bash
# bin.js's first line to exit, in-process (FINDINGS "P9 start-up: built-ins"), for two or more
# bundles side by side: each bundle folder is copied, its bin.js made to record process.cpuUsage()
# and performance.now() at its first line and at exit (printed on stderr), each copy with a cache
# folder of its own (copies of one build share a cache name but not an inode: they would rewrite each
# other's cache), one run each first (caches written), then N alternating rounds; medians.
#   flock /tmp/bench.lock test/bench/ab-inproc.sh N LOGFILE BUNDLE_DIR...   (BUNDLE_DIR: a build/bundle)
set -euo pipefail
n=$1; log=$2; shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/ab-inproc-XXXXXX")
names=()
for dir in "$@"; do
	name=$(basename "$(dirname "$(dirname "$dir")")")-${#names[@]}
	cp -r "$dir" "$work/$name"
	python3 - "$work/$name/bin.js" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
mark = "const __m=[];const mark=n=>{const c=process.cpuUsage();__m.push([n,performance.now(),(c.user+c.system)/1000]);};mark('start');process.on('exit',()=>{mark('exit');process.stderr.write(__m.map(([n,t,c])=>`${t.toFixed(2)}\\t${c.toFixed(2)}\\t${n}`).join('\\n')+'\\n');});"
assert "'use strict';" in s
open(p, 'w').write(s.replace("'use strict';", "'use strict';\n" + mark, 1))
PY
	names+=("$name")
	: >"$work/$name.txt"
done
run() { XDG_CACHE_HOME="$work/cache-$1" node "$work/$1/bin.js" logs "$log" -n 50 2>&1 | cat | awk -F'\t' '/\tstart$/{s=$1;c=$2} /\texit$/{printf "%.2f %.2f\n", $1-s, $2-c}'; }
for name in "${names[@]}"; do run "$name" >/dev/null; done
for _ in $(seq "$n"); do for name in "${names[@]}"; do run "$name" >>"$work/$name.txt"; done; done
for name in "${names[@]}"; do
	sort -n -k2 "$work/$name.txt" | awk -v name="$name" '{w[NR]=$1;c[NR]=$2} END{m=int((NR+1)/2); printf "%-24s CPU median %.1f (min %.1f) ms", name, c[m], c[1]; asort(w); printf ", wall median %.1f ms\n", w[m]}'
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
