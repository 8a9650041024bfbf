// P5d: the console's memory while the app writes (issue 16, point 8: RSS rose from 81 MB to 140-230
// MB with `opsdeck demo --traffic` running). The demo seeded into a fresh PostgreSQL database, a db
// of the private redis-server and a temp SQLite file, `demo --traffic` writing all along, the
// console in a 100x30 pty switching between the Monitor and the Keys tab (rescanned) every 30 s;
// RSS (VmRSS) sampled every 10 s. 10 minutes; BENCH_QUICK=1: 2 minutes.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {bundleBin, pgUrl} from '../lib/context.mjs';
import {fullFrame, startPty} from '../lib/pty.mjs';
import {sleep} from '../lib/stats.mjs';
import {rssMb} from './console.mjs';

const redisDb = 5;

async function admin(sql) {
	const client = new pg.Client({connectionString: pgUrl});
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/** `opsdeck ARGS` with the demo's environment; resolves when it exits (or at once when `background`). */
function opsdeck(args, env, cwd) {
	const child = spawn(process.execPath, [bundleBin, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
	let err = '';
	child.stderr.on('data', d => (err = (err + d).slice(-2000)));
	child.stdout.resume();
	const exited = new Promise(resolve => child.once('exit', code => resolve(code)));
	return {child, exited, err: () => err};
}

export const P5d = {
	id: 'P5d',
	work: 'RSS after 10 minutes of demo traffic, Monitor and Keys tabs alternating (BENCH_QUICK: 2 minutes)',
	opsdeckCommand: 'console (bundle, --interval 1000) on `opsdeck demo --seed 1` data in a fresh PostgreSQL database, a db of the private redis-server and a temp SQLite file, with `opsdeck demo --traffic` (5 messages a second) writing all along; the Keys tab (rescanned with r) and the Monitor tab in turn, 30 s each; VmRSS every 10 s, the figure at the end and the highest',
	target: {kind: 'rss', maxRssMb: 120},
	async run(ctx) {
		const minutes = ctx.quick ? 2 : 10;
		const redis = await ctx.redis();
		const database = `opsdeck_bench_p5d_${process.pid}`;
		const dir = fs.mkdtempSync(path.join(ctx.tmp, 'p5d-'));
		await admin(`create database ${database}`);
		const databaseUrl = new URL(pgUrl);
		databaseUrl.pathname = `/${database}`;
		const env = ctx.env();
		Object.assign(env, {REDIS_URL: redis.url(redisDb), DATABASE_URL: databaseUrl.href, SQLITE_PATH: path.join(dir, 'app.db'), BACKUP_DIR: path.join(dir, 'backups')});
		let traffic;
		let run;
		try {
			const seed = opsdeck(['demo', '--seed', '1'], env, dir);
			if ((await seed.exited) !== 0) throw new Error(`opsdeck demo exited: ${seed.err()}`);
			traffic = opsdeck(['demo', '--traffic'], env, dir);
			run = startPty('node', [bundleBin, '--interval', '1000'], {cols: 100, rows: 30, env, cwd: dir});
			await run.waitUntil(() => fullFrame(run), 'the first full frame');
			await run.waitUntil(() => /Redis\s+up/.test(run.screen()), 'Redis up on the Status tab');
			const rss = [];
			const started = performance.now();
			for (let i = 0; performance.now() - started < minutes * 60_000; i++) {
				if (i % 3 === 0) {
					if (i % 6 === 0) {
						run.press('2');
						await sleep(300);
						run.press('r');
					} else {
						run.press('3');
					}
				}
				await sleep(10_000);
				rss.push(rssMb(run.pid));
				if (traffic.child.exitCode !== null) throw new Error(`demo --traffic stopped: ${traffic.err()}`);
			}
			const endRss = rss.at(-1);
			const maxRss = Math.max(...rss);
			ctx.log(`  ${minutes} min: RSS ${endRss.toFixed(1)} MB at the end, max ${maxRss.toFixed(1)} MB; samples ${rss.map(v => v.toFixed(0)).join(' ')}`);
			return {rssMb: endRss, rssMaxMb: maxRss, minutes, note: `${minutes} min of traffic; RSS every 10 s: ${rss.map(v => v.toFixed(0)).join(', ')} MB`};
		} finally {
			await run?.quit();
			traffic?.child.kill('SIGINT');
			await traffic?.exited;
			await admin(`drop database if exists ${database} with (force)`).catch(error => ctx.log(`  could not drop ${database}: ${error.message}`));
			fs.rmSync(dir, {recursive: true, force: true});
		}
	},
};
