// Side by side at the same time (same load): the idle console under two environments, CPU and RSS.
// node test/bench/ab-idle.mjs 'A=OPSDECK_SEMI_SPACE_GROWTH=2' 'B=OPSDECK_SEMI_SPACE_GROWTH=1' [tab]
// BIN=path runs that variant from another bundle (a copy of build/bundle made before a change:
// it must stay under the repository so its externals resolve), e.g. 'old=BIN=build/base-bundle/bin.js'.
// ARGS='--cpu-prof --cpu-prof-dir=DIR' gives node arguments (flags NODE_OPTIONS refuses).
// Tab 3 is the Monitor (db2, 1,000 watched keys), the default; 1 the Status tab.
import fs from 'node:fs';
import path from 'node:path';
import {bundleBin, createContext} from './lib/context.mjs';
import {fullFrame, startPty} from './lib/pty.mjs';
import {sleep} from './lib/stats.mjs';

const variants = process.argv.slice(2).filter(a => a.includes('=')).map(a => {
	const [, name, k, v] = /^([^=]+)=([^=]+)=(.*)$/.exec(a);
	if (k === 'BIN') return {name, bin: path.resolve(v), env: {}};
	if (k === 'ARGS') return {name, args: v.split(' ').filter(Boolean), env: {}};
	return {name, env: {[k]: v}};
});
const tab = process.argv.slice(2).find(a => /^[1-6]$/.test(a)) ?? '3';
const ticks = pid => {
	const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
	return Number(f[11]) + Number(f[12]);
};
const rss = pid => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const ctx = createContext({log: m => console.error(m), quick: true});
try {
	const args = await ctx.consoleArgs(tab === '3' ? 2 : 0, ['--interval', '1000']);
	const runs = variants.map(v => ({...v, run: startPty('node', [...(v.args ?? []), v.bin ?? bundleBin, ...args], {cols: 100, rows: 30, env: {...ctx.env(), ...v.env}, cwd: ctx.tmp})}));
	for (const r of runs) await r.run.waitUntil(() => fullFrame(r.run), 'first frame');
	await sleep(1000);
	for (const r of runs) r.run.press(tab);
	await sleep(Number(process.env.AB_WARM ?? 20) * 1000);
	const t0 = runs.map(r => ticks(r.run.pid));
	const secs = Number(process.env.AB_SECONDS ?? 40);
	const maxRss = runs.map(() => 0);
	for (let s = 0; s < secs; s++) {
		await sleep(1000);
		runs.forEach((r, i) => (maxRss[i] = Math.max(maxRss[i], rss(r.run.pid))));
	}
	runs.forEach((r, i) => console.log(`${r.name}: CPU ${(((ticks(r.run.pid) - t0[i]) / 100 / secs) * 100).toFixed(2)}% RSS max ${maxRss[i].toFixed(1)} MB`));
	for (const r of runs) await r.run.quit();
} finally {
	await ctx.close();
}
setTimeout(() => process.exit(), 500).unref();
