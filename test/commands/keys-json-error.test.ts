// Found by the hostile tester: `keys --json` against a Redis failing mid-SCAN left
// `{"pattern":"*","type":null,"keys":[` on stdout. The JSON begun is closed (complete: false, the
// error in it), the error is one line on stderr, exit 1. The fake Redis answers the first SCAN and
// fails the second: a real one cannot be made to fail there on cue.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {resp, startHostileRedis, type HostileRedis} from '../helpers/hostile-redis.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/chat-fixtures.js';

let fake: HostileRedis;
let cwd: string;

beforeAll(async () => {
	fake = await startHostileRedis({
		error: 'LOADING Redis is loading the dataset in memory',
		answer: args => {
			if (args[0] === 'DBSIZE') return resp.int(3);
			if (args[0] === 'SCAN' && args[1] === '0') return resp.array([resp.bulk('7'), resp.array([resp.bulk('a'), resp.bulk('b')])]);
			return undefined;
		},
	});
	cwd = tempDir();
});

afterAll(async () => {
	await fake.stop();
});

it('keys --json: the JSON on stdout is whole, says complete: false with the error; exit 1', async () => {
	const r = await runCli(['keys', '--json'], {cwd, env: {REDIS_URL: fake.url, OPSDECK_AUDIT_LOG: `${cwd}/audit.log`}});
	expect(r.code).toBe(1);
	const doc = JSON.parse(r.stdout) as {keys: string[]; count: number; complete: boolean; error: string};
	expect(doc).toMatchObject({keys: ['a', 'b'], count: 2, complete: false});
	expect(doc.error).toContain('LOADING');
	expect(r.stderr).toMatch(/^opsdeck: .*LOADING[^\n]*\n$/);
});
