// Issue 13, case 17: as the operator meets it, through the built CLI. A config file key that is
// unknown (`redisURL`) or of the wrong type (`"readOnly": 1` said "value.trim is not a function",
// `"thresholds": "x"` was ignored), a malformed .env line, a bad environment value: each is one
// line on stderr, exit 2, and nothing runs. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';

let dir: string;

beforeAll(() => {
	requireBuild();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-config-errors-'));
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

type Case = {readonly config?: unknown; readonly dotenv?: string; readonly env?: Record<string, string>; readonly line: string};

const cases: ReadonlyArray<readonly [string, Case]> = [
	['an unknown key', {config: {redisURL: 'redis://127.0.0.1:1/0'}, line: 'unknown key redisURL in opsdeck.config.json: did you mean redisUrl?'}],
	['readOnly: 1', {config: {readOnly: 1}, line: 'readOnly in opsdeck.config.json must be true or false (got 1)'}],
	['thresholds: "x"', {config: {thresholds: 'x'}, line: 'thresholds in opsdeck.config.json must be an object (got "x")'}],
	['a nested unknown key', {config: {collections: {colums: {}}}, line: 'unknown key collections.colums in opsdeck.config.json: did you mean collections.columns?'}],
	['a malformed .env line', {dotenv: 'REDIS_URL=redis://127.0.0.1:1/0\nDATABASE_URL postgres://u:pw@h/db\n', line: '.env line 2 is not KEY=value'}],
	['an open quote in .env', {dotenv: 'SQLITE_PATH="data/app.db\n', line: '.env line 1: the double quote is not closed'}],
	['PGPORT out of range', {env: {PGHOST: '127.0.0.1', PGPORT: '99999'}, line: 'PGPORT must be a port number (got "99999")'}],
];

describe('a bad config is one line and exit 2 (issue 13, case 17)', () => {
	it.each(cases)('%s', async (_name, c) => {
		const cwd = fs.mkdtempSync(path.join(dir, 'case-'));
		if (c.config !== undefined) fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify(c.config));
		if (c.dotenv !== undefined) fs.writeFileSync(path.join(cwd, '.env'), c.dotenv);
		for (const args of [['status'], ['flush', '--yes'], ['backup', 'create']]) {
			const base = c.env?.PGHOST ? {} : {DATABASE_URL: 'postgres://127.0.0.1:1/x'};
			const result = await runCli(args, {cwd, env: cliEnv({REDIS_URL: 'redis://127.0.0.1:1/0', ...base, ...c.env})});
			expect({args, code: result.code, stdout: result.stdout, stderr: result.stderr}).toEqual({args, code: 2, stdout: '', stderr: `opsdeck: ${c.line}\n`});
		}
		// nothing ran: no backup folder, no data file
		expect(fs.readdirSync(cwd).sort()).toEqual([...(c.config === undefined ? [] : ['opsdeck.config.json']), ...(c.dotenv === undefined ? [] : ['.env'])].sort());
	});
});
