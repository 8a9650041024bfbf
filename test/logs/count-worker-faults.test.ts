// `logs --count` with a count worker that misbehaves (a copy of the bundle whose count-worker.cjs
// is replaced): one that starts and never answers, one that takes blocks and never reports them,
// one that posts what is not a report, one that reports a block it did not take, one that reports
// a count and then leaves without `done`. Each run ends (it used to wait for the worker forever),
// exits 0 and prints the count grep -c prints: what the worker did not report, or reported in a
// way that cannot be taken, is counted by the main thread. Needs `npm run build`.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bundledBin, cliEnv, requireBuild} from '../helpers/health-env.js';
import {grepCount} from '../helpers/tricky-log.js';

let dir: string;
let log: string;
// where a misbehaving worker writes the blocks it took
let took: string;

beforeAll(() => {
	requireBuild();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-count-faults-'));
	log = path.join(dir, 'app.log');
	took = path.join(dir, 'took.json');
	// ~35 MB of short lines: three 16 MB blocks, each ~0.2 s of work for a thread, so the worker
	// (~40 ms to start) finds blocks left to take
	const statuses = [200, 404, 500, 503, 599];
	const lines: string[] = [];
	for (let i = 0; i < 700_000; i++) lines.push(`2024-05-01T10:00:00Z INFO GET /x status=${statuses[(i * 7) % 5]} ms=${i % 999}\n`);
	fs.writeFileSync(log, lines.join(''));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** A copy of build/bundle whose count worker is `source`; its bin.js. */
function bundleWithWorker(name: string, source: string): string {
	const copy = path.join(dir, name);
	fs.cpSync(path.dirname(bundledBin), copy, {recursive: true});
	fs.writeFileSync(path.join(copy, 'count-worker.cjs'), `'use strict';\nconst {parentPort, workerData} = require('node:worker_threads');\n${source}\n`);
	return path.join(copy, 'bin.js');
}

/** Runs `opsdeck logs LOG --grep G --count`; killed after 60 s (a run that waits for its worker forever). */
function count(bin: string, grep: string): Promise<{code: number | null; stdout: string; stderr: string; killed: boolean}> {
	return new Promise(resolve => {
		execFile(process.execPath, [bin, 'logs', log, '--grep', grep, '--count'], {env: cliEnv({WORKER_TOOK: took}), cwd: dir, timeout: 60_000, killSignal: 'SIGKILL'}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
			resolve({code, stdout, stderr, killed: Boolean(error?.killed)});
		});
	});
}

// a block taken from the shared counter, as count-worker.ts takes them
const take = 'const taken = new Int32Array(workerData.next); const blocks = workerData.starts.length - 1; const took = []; const tookBlock = () => { const i = Atomics.add(taken, 0, 1); if (i < blocks) took.push(i); require("node:fs").writeFileSync(process.env.WORKER_TOOK, JSON.stringify({took, blocks})); return i; };';
const workers: Record<string, string> = {
	'starts and never answers': 'setInterval(() => {}, 1000);',
	'takes every block and never reports': `${take} while (tookBlock() < blocks); setInterval(() => {}, 1000);`,
	'posts what is not a report': `${take} const i = tookBlock(); parentPort.postMessage(42); parentPort.postMessage({block: i, count: -5}); parentPort.postMessage({block: 'x'}); setInterval(() => {}, 1000);`,
	'reports a block it did not take': `${take} const i = tookBlock(); if (i < blocks) { parentPort.postMessage({block: i, count: 1}); parentPort.postMessage({block: (i + 1) % blocks, count: 1e6}); } parentPort.postMessage({done: true});`,
	'takes a block and exits without a word': `${take} tookBlock(); process.exit(0);`,
};

describe('logs --count with a count worker that misbehaves', () => {
	const grep = 'status=5\\d\\d';
	let expected: number;
	beforeAll(() => {
		expected = grepCount(['-E', 'status=5[0-9][0-9]'], log);
		expect(expected).toBeGreaterThan(0);
	});

	it.each(Object.entries(workers))('a worker that %s: the run ends with the count grep -c gives', async (name, source) => {
		const bin = bundleWithWorker(name.replaceAll(' ', '-'), source);
		fs.rmSync(took, {force: true});
		const r = await count(bin, grep);
		expect(r.killed, 'the run waited for its worker and was killed after 60 s').toBe(false);
		expect(r).toMatchObject({code: 0, stderr: ''});
		expect(r.stdout).toBe(`${expected}\n`);
		// the worker did take blocks (else the main thread counted all and the case tested nothing)
		if (name !== 'starts and never answers') expect(JSON.parse(fs.readFileSync(took, 'utf8')).took.length).toBeGreaterThan(0);
	}, 90_000);
});
