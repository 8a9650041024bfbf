// A preload for profiling the console's start (FINDINGS "P9, P5, P1 start-up"): at the first stdout
// write that completes the tab bar and the key hints, it writes the process's uptime and CPU (and
// with FF_MODULES=1 the Node built-ins loaded so far) to $FF_OUT (default ./first-frame.txt), then
// exits, so that a --cpu-prof profile ends at the first frame:
//   script -qc "node --cpu-prof --cpu-prof-dir=/tmp/prof -r ./test/bench/first-frame-preload.cjs build/bundle/bin.js --sqlite /tmp/x.db" /dev/null
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const base = new Set(process.moduleLoadList);
let seen = '';
const write = process.stdout.write;
process.stdout.write = function (chunk, ...rest) {
	seen += String(chunk);
	if (seen.includes('4 Backups') && /quit/.test(seen)) {
		const cpu = process.cpuUsage();
		const modules = process.env.FF_MODULES ? process.moduleLoadList.filter(m => !base.has(m) && m.startsWith('NativeModule') && !m.includes('internal/')).join(' ') : '';
		require('node:fs').writeFileSync(process.env.FF_OUT ?? 'first-frame.txt', `uptime ${(process.uptime() * 1000).toFixed(1)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms\n${modules}\n`);
		process.exit(0);
	}
	return write.call(this, chunk, ...rest);
};
