#!/usr/bin/env node
// npm run media: the README's screenshots, from the real console. Seeds `opsdeck demo` into private
// backends (a redis-server on a free port, a throwaway PostgreSQL database, a temp folder for the
// SQLite file and backups), keeps `demo --traffic` writing, opens the bundled console in a
// pseudo-terminal with a headless xterm, visits each tab as a person would and writes each screen
// to media/*.svg; then every tab and dialog at 40x10 and 80x24 (screens.mjs, the visit the screens
// test drives too) to media/panes/, each checked to fit its pane. Needs `npm run build` first (the npm script does it), redis-server on PATH (or
// REDIS_SERVER_BIN) and a PostgreSQL superuser at OPSDECK_TEST_PG_URL (default postgres@127.0.0.1).
import {spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import pg from 'pg';
import {startRedis} from '../test/bench/lib/proc.mjs';
import {paneProblems, paneSizes, visitScreens} from './screens.mjs';
import {screenToSvg} from './svg.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'build', 'bundle', 'bin.js');
const adminUrl = process.env.OPSDECK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const cleanups = [];

function log(message) {
	process.stderr.write(`media: ${message}\n`);
}

async function admin(sql) {
	const client = new pg.Client({connectionString: adminUrl});
	client.on('error', () => undefined);
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

async function createDatabase() {
	const name = `opsdeck_media_${crypto.randomBytes(5).toString('hex')}`;
	await admin(`CREATE DATABASE "${name}"`);
	cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

function cli(args, {cwd, env}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => (stdout += d));
		child.stderr.on('data', d => (stderr += d));
		child.on('error', reject);
		child.on('close', code => (code === 0 ? resolve(stdout) : reject(new Error(`opsdeck ${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
	});
}

/** The console in a cols×rows pseudo-terminal, mirrored into a headless xterm. */
function openConsole({cols, rows, cwd, env, args = []}) {
	const term = new xtermHeadless.Terminal({cols, rows, allowProposedApi: true});
	const child = pty.spawn(process.execPath, [bin, ...args], {name: 'xterm-256color', cols, rows, cwd, env});
	cleanups.push(() => child.kill('SIGKILL'));
	let exited = false;
	child.onData(data => term.write(data));
	child.onExit(() => (exited = true));
	term.onData(data => !exited && child.write(data));
	const flush = () => new Promise(resolve => term.write('', resolve));
	const lines = () => {
		const buffer = term.buffer.active;
		return Array.from({length: rows}, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
	};
	return {
		term,
		lines,
		async waitFor(check, what, timeoutMs = 20_000) {
			const test = typeof check === 'function' ? check : typeof check === 'string' ? ls => ls.join('\n').includes(check) : ls => check.test(ls.join('\n'));
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				await flush();
				if (test(lines())) return lines();
				if (Date.now() > deadline || exited) throw new Error(`${what ?? String(check)} not on screen. Screen:\n${lines().join('\n')}`);
				await sleep(25);
			}
		},
		/** one key per read, ~100 ms apart: a burst in one read is a paste for Ink */
		async type(...keys) {
			for (const key of keys) {
				for (const ch of key.startsWith('\x1b') ? [key] : [...key]) {
					child.write(ch);
					await sleep(100);
				}
			}
		},
		/** lets one more poll tick land, then writes the screen */
		async shot(file, title) {
			await sleep(300);
			await flush();
			fs.mkdirSync(path.dirname(path.join(here, file)), {recursive: true});
			fs.writeFileSync(path.join(here, file), screenToSvg(term, {title}));
			log(`wrote media/${file}`);
		},
		/** the visible rows that continue a line the terminal wrapped */
		wrappedRows() {
			const buffer = term.buffer.active;
			return Array.from({length: rows}, (_, y) => y).filter(y => buffer.getLine(buffer.viewportY + y)?.isWrapped === true);
		},
		async quit() {
			child.write('q');
			for (let i = 0; i < 200 && !exited; i++) await sleep(25);
			// a console left running holds the SQLite file open: the next one's restore would be refused
			if (!exited) child.kill('SIGTERM');
			for (let i = 0; i < 200 && !exited; i++) await sleep(25);
		},
	};
}

/** Sessions for the Postgres tab to show, each with an application name of its own; ended by release(). */
async function holdSessions(url) {
	const clients = [];
	const connect = async name => {
		const client = new pg.Client({connectionString: url, application_name: name});
		client.on('error', () => undefined);
		await client.connect();
		clients.push(client);
		return client;
	};
	const target = "update messages set content = content where id = (select id from messages order by id limit 1)";
	const checkout = await connect('checkout');
	await checkout.query('begin');
	await checkout.query(target);
	(await connect('worker')).query(target).catch(() => undefined);
	(await connect('report')).query('select pg_sleep(600), count(*) from messages').catch(() => undefined);
	return {
		async release() {
			const pids = clients.map(c => c.processID);
			const admin = new pg.Client({connectionString: url});
			await admin.connect();
			await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [pids]);
			await admin.end();
		},
	};
}

/**
 * The chat app's own log, for the Logs tab: a few hundred lines already there, then a writer (the
 * "app": its pid in chat.pid, so APP_SERVICE=pidfile: finds it) adding ~20 lines a second, now and
 * then a slow request, a 5xx or an error.
 */
function startAppLog(cwd) {
	const log = path.join(cwd, 'logs', 'chat.log');
	fs.mkdirSync(path.dirname(log), {recursive: true});
	const script = `
const fs = require('node:fs');
const [log, pidFile] = process.argv.slice(2);
fs.writeFileSync(pidFile, process.pid + '\\n');
let n = 0;
const chats = ['AYVQB827', 'KQ7ZP210', 'MX2LD554', 'BZLLP379'];
function line(at) {
	n++;
	const t = new Date(at).toISOString();
	const chat = chats[n % chats.length];
	if (n % 41 === 0) return t + ' ERROR redis command timed out after 5000ms (XADD chat:' + chat + ':stream)';
	if (n % 17 === 0) return t + ' WARN  slow query 1240ms: select * from messages where chat_code = $1 order by created_at desc';
	if (n % 13 === 0) return JSON.stringify({level: 30, time: at, pid: process.pid, msg: 'socket joined', chat, users: n % 9 + 1});
	const status = n % 23 === 0 ? 503 : n % 7 === 0 ? 201 : 200;
	return t + ' INFO  http ' + (status === 201 ? 'POST' : 'GET') + ' /api/chats/' + chat + '/messages status=' + status + ' ms=' + (5 + (n * 37) % 90);
}
let text = '';
const start = Date.now() - 300 * 50;
for (let i = 0; i < 300; i++) text += line(start + i * 50) + '\\n';
fs.appendFileSync(log, text);
setInterval(() => fs.appendFileSync(log, line(Date.now()) + '\\n'), 50);
`;
	const file = path.join(cwd, 'chat-app.cjs');
	fs.writeFileSync(file, script);
	const pidFile = path.join(cwd, 'chat.pid');
	const child = spawn(process.execPath, [file, log, pidFile], {cwd, stdio: 'ignore'});
	cleanups.push(() => child.kill('SIGKILL'));
	return {log, pidFile};
}

/** The Logs tab (7): following the app's log, the 5xx marked among the other lines, the app's process on top. */
async function logsShot(screen) {
	await screen.type('7');
	await screen.waitFor(/chat\.log · read/, 'the Logs tab');
	await screen.type('f');
	await screen.waitFor(/following [1-9]\d* lines\/s/, 'following with its rate');
	await screen.type('/');
	await screen.waitFor('filter (text, or /regex/)');
	await sleep(500);
	await screen.type('/status=5\\d\\d/', keys.enter, 'a');
	await screen.waitFor(/marked \/status=5/, 'the 5xx marked');
	await screen.waitFor(/UP pid \d+ · up/, 'the app process');
	await sleep(1500);
	await screen.shot('logs.svg', 'opsdeck — Logs (following the app, its 5xx marked)');
}

const keys = {enter: '\r', escape: '\x1b'};
const hintsSay = word => ls => (ls.filter(l => l.trim()).at(-1) ?? '').includes(word);

/**
 * Environments: a config file of its own (the other screens keep theirs) with two profiles — prod
 * on the demo's stores, read-only and red, staging on a second, empty redis-server — the banner,
 * the picker and the Status tab's overview of both.
 */
async function profileScreens({cwd, env}) {
	const staging = await startRedis();
	cleanups.push(() => staging.stop());
	const config = path.join(cwd, 'environments.json');
	fs.writeFileSync(config, JSON.stringify({profiles: {
		staging: {redisUrl: staging.url(0), colour: 'green', description: 'rehearsal'},
		prod: {redisUrl: env.REDIS_URL, readOnly: true, colour: 'red', description: 'the live chat'},
	}}));
	const screen = openConsole({cols: 100, rows: 30, cwd, env, args: ['--config', config, '--profile', 'prod']});
	await screen.waitFor('every check passes');
	await screen.waitFor(/ops\/s +[1-9]/, 'Redis ops/s from the traffic');
	await screen.shot('profile-banner.svg', 'opsdeck --profile prod — the banner on every frame');
	// P on any tab but Status (where it reconnects PostgreSQL)
	await screen.type('2', 'P');
	await screen.waitFor('Switch environment');
	await screen.type('k');
	await screen.shot('profile-picker.svg', 'opsdeck — P: switch environment');
	await screen.type(keys.escape, '1', 'a');
	await screen.waitFor(ls => ls.filter(l => /HEALTHY|DEGRADED|UNHEALTHY/.test(l)).length >= 3 && /backup \d/.test(ls.join('\n')), 'the overview of both');
	await screen.shot('all-profiles.svg', 'opsdeck — Status: a, every environment');
	await screen.quit();
}

async function main() {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-media-'));
	cleanups.push(() => fs.rmSync(cwd, {recursive: true, force: true}));
	const [redis, databaseUrl] = await Promise.all([startRedis(), createDatabase()]);
	cleanups.push(() => redis.stop());
	const redisUrl = redis.url(0);
	const env = {...process.env, REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log'), TERM: 'xterm-256color', COLORTERM: 'truecolor'};
	for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'SQLITE_PATH', 'BACKUP_DIR', 'OPSDECK_CONFIG', 'OPSDECK_READ_ONLY', 'APP_HEALTH_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'LOG_UNIT']) delete env[name];
	// the app's log and process for the Logs tab (and the Status tab's App process card)
	const app = startAppLog(cwd);
	Object.assign(env, {LOG_FILES: app.log, APP_SERVICE: `pidfile:${app.pidFile}`});
	if (process.argv.includes('--only-logs')) {
		// only the Logs tab's screen (node media/render.mjs --only-logs, after npm run build)
		const screen = openConsole({cols: 100, rows: 30, cwd, env});
		await screen.waitFor('1 Status');
		await logsShot(screen);
		await screen.quit();
		return;
	}

	log('seeding the demo (opsdeck demo)');
	const seed = JSON.parse(await cli(['demo', '--json'], {cwd, env}));
	const target = seed.outOfSync.find(o => o.missing.length > 0 && o.extra.length > 0) ?? seed.outOfSync[0];
	const traffic = spawn(process.execPath, [bin, 'demo', '--traffic', '--rate', '8'], {cwd, env, stdio: 'ignore'});
	cleanups.push(() => traffic.kill('SIGKILL'));

	await profileScreens({cwd, env});
	// MEDIA_ONLY=profiles: the environments' screens alone (the rest is left as it was rendered)
	if (process.env.MEDIA_ONLY === 'profiles') return;

	const cols = 100;
	const rows = 30;
	const screen = openConsole({cols, rows, cwd, env});
	await screen.waitFor('every check passes');
	await screen.waitFor(/ops\/s +[1-9]/, 'Redis ops/s from the traffic');
	await screen.shot('status.svg', 'opsdeck — Status');

	await screen.type('2');
	await screen.waitFor(/· done/);
	await screen.type('/');
	await screen.waitFor('pattern:');
	// a key typed right after the prompt shows can still reach the list (c = compare): a known race
	await sleep(Number(process.env.MEDIA_PROMPT_PAUSE ?? 500));
	await screen.type('chat:*:messages', keys.enter);
	await screen.waitFor(ls => ls.some(l => l.startsWith('pattern chat:*:messages')) && ls.filter(l => l.startsWith('chat:')).every(l => /^chat:\S+:messages /.test(l)) && hintsSay('Enter open')(ls), 'the messages keys');
	// walk the cursor down to the chat the demo put out of sync (rows are sorted, one screen)
	const listed = screen.lines().filter(l => l.startsWith('chat:'));
	const at = listed.findIndex(l => l.startsWith(`chat:${target.chat}:messages`));
	await screen.type('g', ...Array(Math.max(0, at)).fill('j'));
	await screen.shot('keys.svg', 'opsdeck — Keys');

	await screen.waitFor(ls => ls.some(l => /^chat:\S+:messages +zset/.test(l)), 'the row details');
	await screen.type(keys.enter);
	await screen.waitFor(`chat ${target.chat}`);
	await screen.waitFor(/^newest /m);
	await screen.shot('chat.svg', `opsdeck — Keys: chat ${target.chat}`);
	await screen.type('c');
	await screen.waitFor('OUT OF SYNC');
	await screen.shot('compare.svg', `opsdeck — Keys: compare ${target.chat} with PostgreSQL`);
	await screen.type(keys.escape, keys.escape);

	await screen.type('3');
	await screen.waitFor(ls => /\+\d+ +[\d.]+\/s/.test(ls.find(l => l.startsWith('total')) ?? ''), 'the total moving');
	// a few more ticks so the sparklines have some history
	await sleep(4000);
	await screen.shot('monitor.svg', 'opsdeck — Monitor (demo --traffic running)');

	await screen.type('4');
	await screen.waitFor(/manual_\S+/);
	await screen.type('n');
	await screen.waitFor(ls => ls.filter(l => /^\S*(manual|auto)_\S+/.test(l.replace(/^[>\s]+/, ''))).length >= 2 || ls.join('\n').includes('backup created'), 'the new backup');
	// the row shows before the job ends (v then says a job runs): its result in the bar is the end
	await screen.waitFor(ls => /created (manual|auto)_/.test(ls.join('\n')), 'the new backup\'s result');
	await screen.waitFor(hintsSay('new backup'));
	await screen.type('j', 'v');
	await screen.waitFor(/ ok \(quick_check/);
	await screen.type('g', keys.enter);
	await screen.waitFor('Type restore and press Enter');
	await screen.type('rest');
	await screen.shot('restore.svg', 'opsdeck — Backups: restore (typed confirmation)');
	await screen.type('ore', keys.enter);
	await screen.waitFor(/restored manual_/);
	await screen.waitFor(/^safety_\S+/m);
	await screen.shot('backups.svg', 'opsdeck — Backups');

	// Postgres: a report sleeping, a checkout holding a row lock and a worker waiting on it
	const held = await holdSessions(databaseUrl);
	await screen.type('5');
	await screen.waitFor(/running · \d+ of/);
	// the server is shared: only the demo's database
	await screen.type('/', 'opsdeck_media', keys.enter);
	await screen.waitFor(ls => ls.some(l => /Lock:transactio/.test(l)) && ls.some(l => /pg_sleep/.test(l)), 'the sessions');
	// the restore's message has left the bottom bar, the times have grown a little
	await screen.waitFor(hintsSay('terminate'), 'the keys in the bottom bar', 10_000);
	await sleep(2000);
	await screen.shot('postgres.svg', 'opsdeck — Postgres');
	await held.release();
	await logsShot(screen);
	await screen.quit();

	const pane = openConsole({cols: 40, rows: 10, cwd, env});
	await pane.waitFor('1 Status');
	await pane.type('3');
	await pane.waitFor(/^total \(\d+ keys\) +[1-9]/m, 'the pane counting the chats');
	await sleep(3000);
	await pane.shot('monitor-pane.svg', 'opsdeck in a 40x10 tmux pane');
	await pane.quit();

	// every tab and dialog at each pane size; a screen that does not fit its pane fails the run
	for (const size of paneSizes) {
		const console_ = openConsole({...size, cwd, env});
		await console_.waitFor('1');
		await visitScreens({
			type: console_.type,
			waitFor: (check, what) => console_.waitFor(check, what),
			lines: console_.lines,
			pause: sleep,
		}, {
			...size,
			shot: async (name, title) => {
				await console_.shot(`panes/${size.cols}x${size.rows}-${name}.svg`, title);
				const problems = paneProblems(console_.lines(), console_.wrappedRows(), size);
				if (problems.length > 0) throw new Error(`${name} at ${size.cols}x${size.rows}: ${problems.join('; ')}\n${console_.lines().join('\n')}`);
			},
		});
		await console_.quit();
	}
}

let code = 0;
try {
	await main();
} catch (error) {
	log(error instanceof Error ? error.message : String(error));
	code = 1;
} finally {
	for (const cleanup of cleanups.reverse()) {
		try {
			await cleanup();
		} catch {
			// best effort
		}
	}
}
process.exit(code);
