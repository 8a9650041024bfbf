// P7: the Postgres tab left open on a server with 200 client sessions at a 1 s refresh — opsdeck's
// CPU against pg_activity's (the tool an operator opens for this), each in the same pty on the same
// private cluster, one after the other; and the tab's poll round trip (readSessions + readOverview,
// the function the tab calls) with 500 sessions.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {PostgresBackend} from '../../../build/backends/postgres.js';
import {readActivity} from '../../../build/console/tabs/postgres/use-pg-activity.js';
import {bundleBin} from '../lib/context.mjs';
import {openSessions, startCluster} from '../lib/pg-cluster.mjs';
import {fullFrame, startPty} from '../lib/pty.mjs';
import {median, now, sleep} from '../lib/stats.mjs';

const sessions = {count: 200, active: 40, idleInTx: 20};
const roundTripSessions = 500;
const hz = () => Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function cpuTicks(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/** CPU (% of one core) of a program in a 100x30 pty over the window, after `ready` and a warm-up. */
async function cpuWindow(ctx, command, args, {ready, what}) {
	const seconds = ctx.quick ? 15 : 60;
	const warmup = ctx.quick ? 10 : 30;
	const run = startPty(command, args, {cols: 100, rows: 30, env: ctx.env(), cwd: ctx.tmp});
	try {
		await ready(run);
		await sleep(warmup * 1000);
		const before = cpuTicks(run.pid);
		const started = now();
		await sleep(seconds * 1000);
		const ticks = cpuTicks(run.pid) - before;
		const percent = (ticks / hz() / ((now() - started) / 1000)) * 100;
		ctx.log(`  ${what}: ${percent.toFixed(2)}% of a core over ${seconds} s (${ticks} ticks)`);
		return percent;
	} finally {
		await run.quit();
	}
}

async function opsdeckCpu(ctx, cluster) {
	const redis = await ctx.redis();
	const args = ['--redis-url', redis.url(0), '--database-url', cluster.url, '--sqlite', ctx.smallSqlite(), '--backup-dir', path.join(ctx.tmp, 'backups'), '--interval', '1000'];
	return cpuWindow(ctx, 'node', [bundleBin, ...args], {
		what: 'opsdeck',
		async ready(run) {
			await run.waitUntil(() => fullFrame(run), 'the first full frame');
			await sleep(300);
			run.press('5');
			// the running view: the 40 sleeping queries and the 20 open transactions
			await run.waitUntil(() => /running · 60 of 20\d sessions/.test(run.screen()), 'the Postgres tab listing the 60 busy sessions');
		},
	});
}

async function pgActivityCpu(ctx, cluster) {
	return cpuWindow(ctx, 'pg_activity', ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-d', 'postgres', '--refresh', '1'], {
		what: 'pg_activity',
		// (at 100 columns its query column is off screen: the rows of the load's applications show it has read them)
		ready: run => run.waitUntil(() => /RUNNING QUERIES/.test(run.screen()) && /bench-app-\d/.test(run.screen()), 'pg_activity listing the running sessions', 60_000),
	});
}

async function roundTrips(ctx, cluster) {
	const more = await openSessions(cluster.url, {count: roundTripSessions - sessions.count, name: 'bench-more'});
	const backend = new PostgresBackend(cluster.url);
	try {
		await backend.start();
		const first = await readActivity(backend);
		if (first.sessions.length < roundTripSessions) throw new Error(`readSessions saw ${first.sessions.length} sessions, expected ${roundTripSessions}`);
		for (let i = 0; i < 5; i++) await readActivity(backend);
		const samples = [];
		for (let i = 0; i < 40; i++) {
			const started = now();
			await readActivity(backend);
			samples.push(now() - started);
			await sleep(50);
		}
		ctx.log(`  poll round trip with ${first.sessions.length} sessions: median ${median(samples).toFixed(2)} ms`);
		return {samples, seen: first.sessions.length};
	} finally {
		await backend.close();
		await more.close();
	}
}

export const P7 = {
	id: 'P7',
	work: 'Postgres tab open, 200 sessions, 1 s refresh: CPU vs pg_activity; poll round trip with 500 sessions',
	opsdeckCommand: `the console on the Postgres tab (running view: 40 sessions in pg_sleep, 20 idle in transaction, 140 idle) with --interval 1000 in a 100x30 pty, 30 s warm-up, then utime+stime from /proc/PID/stat over 60 s; the round trip is readSessions + readOverview (what the tab polls, from build/) timed 40 times with ${roundTripSessions} client sessions`,
	baselineCommand: 'pg_activity 3.0.3 --refresh 1 (its default running view, system information on) in the same pty against the same private cluster, the same warm-up and window',
	target: {kind: 'cpu-ratio', max: 0.5, maxRoundTripMs: 20},
	async run(ctx) {
		const cluster = await startCluster({max_connections: '600'});
		ctx.log(`  private PostgreSQL on port ${cluster.port} (max_connections 600)`);
		let load;
		try {
			load = await openSessions(cluster.url, sessions);
			const opsdeck = [];
			const baseline = [];
			for (let i = 0; i < ctx.reps; i++) {
				// the order flips every round, as in alternate()
				for (const side of i % 2 === 0 ? ['a', 'b'] : ['b', 'a']) {
					if (side === 'a') opsdeck.push(await opsdeckCpu(ctx, cluster));
					else baseline.push(await pgActivityCpu(ctx, cluster));
				}
			}
			const trips = await roundTrips(ctx, cluster);
			return {
				opsdeck,
				baseline,
				roundTripMs: trips.samples,
				note: `CPU as % of one core (opsdeck ${opsdeck.map(v => v.toFixed(2)).join(', ')}; pg_activity ${baseline.map(v => v.toFixed(2)).join(', ')}); round trip median of 40 with ${trips.seen} sessions listed, max ${Math.max(...trips.samples).toFixed(1)} ms`,
			};
		} finally {
			cluster.stop();
			await load?.close();
		}
	},
};
