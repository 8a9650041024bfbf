// Copy over SSH, for real: the built console in a private tmux server with `set-clipboard on`
// (tmux -L NAME -f /dev/null: none of the operator's own configuration), a private redis-server.
// `y` on a key puts exactly that key in tmux's paste buffer (`tmux show-buffer`); without
// CLIPBOARD=osc52 no buffer is made. A key with an escape sequence and a newline lands in the
// buffer as it is while the pane only ever shows it escaped. Needs `npm run build` first.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath} from '../helpers/run-cli.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {sleep} from '../helpers/wait.js';

const socket = `opsdeck-clip-${process.pid}`;
// CI unset: with it Ink draws only the last frame (DESIGN.md)
const tmuxEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CI' && name !== 'TMUX'));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: tmuxEnv, stdio: ['ignore', 'pipe', 'pipe']});
const evilKey = 'evil\u001b]2;pwned\u0007\nsecond line';
let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

beforeAll(async () => {
	if (!fs.existsSync(binPath)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	server = await startRedis();
	direct = new Redis(server.url);
	await direct.set('chat:ÜNÏ 42:messages', 'v');
	await direct.set(evilKey, 'v');
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-clip-e2e-'));
});

afterAll(async () => {
	try {
		tmux('kill-server');
	} catch {
		// already gone
	}
	direct.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

const screen = () => tmux('capture-pane', '-p', '-t', 'clip');

async function waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const s = screen();
		if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
		if (Date.now() > deadline) throw new Error(`the pane never showed ${String(text)}:\n${s}`);
		await sleep(100);
	}
}

function buffer(): string | undefined {
	try {
		return tmux('show-buffer');
	} catch {
		return undefined; // "no buffers"
	}
}

/** The console in the tmux server's one session, on the Keys tab with the scan done. */
async function open(clipboard: boolean): Promise<void> {
	try {
		tmux('kill-session', '-t', 'clip');
	} catch {
		// the first one
	}
	const env = [`REDIS_URL=${server.url}`, 'DATABASE_URL=postgres://127.0.0.1:1/none', `SQLITE_PATH=${path.join(cwd, 'none.db')}`, `BACKUP_DIR=${path.join(cwd, 'bk')}`, `OPSDECK_AUDIT_LOG=${path.join(cwd, 'audit.log')}`, `XDG_STATE_HOME=${path.join(cwd, 'state')}`, `CLIPBOARD=${clipboard ? 'osc52' : ''}`];
	// set-clipboard on before the console starts: tmux takes OSC 52 from the pane into its buffer
	tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'clip', '-x', '100', '-y', '24', ...env.flatMap(e => ['-e', e]), `cd ${cwd} && exec ${process.execPath} ${binPath}`, ';', 'set-option', '-g', 'set-clipboard', 'on');
	// a loaded machine takes seconds to start Node and draw the first frame
	await waitFor('Status', 25_000);
	tmux('send-keys', '-t', 'clip', '2');
	await waitFor(/2 keys .*done/);
}

describe('y in tmux with set-clipboard on', {timeout: 60_000}, () => {
	it('without CLIPBOARD=osc52: nothing reaches tmux, the bar says how to turn it on', async () => {
		await open(false);
		tmux('send-keys', '-t', 'clip', 'y');
		await waitFor('set CLIPBOARD=osc52 to copy');
		expect(buffer()).toBeUndefined();
	});

	it('with it: exactly the highlighted key in the buffer; a hostile key as it is, shown escaped', async () => {
		await open(true);
		tmux('send-keys', '-t', 'clip', 'y');
		await waitFor('copied key chat:ÜNÏ 42:messages');
		expect(buffer()).toBe('chat:ÜNÏ 42:messages');
		tmux('send-keys', '-t', 'clip', 'j');
		await sleep(200);
		tmux('send-keys', '-t', 'clip', 'y');
		const shown = await waitFor('copied key evil');
		expect(buffer()).toBe(evilKey);
		// escaped on screen, the window title untouched by the key's OSC 2
		expect(shown).toContain('copied key evil\\x1b]2;pwned\\x07\\x0asecond line');
		expect(tmux('display-message', '-p', '-t', 'clip', '#{pane_title}')).not.toContain('pwned');
	});
});
