// The Status card's PostgreSQL rows against the health thresholds, on the real server: a session
// left idle in transaction in a fresh database is drawn with its pid and time, and the reason that
// makes the verdict degraded names it; past pgIdleInTransactionMs and pgConnectionsRatio its row
// and the connections row turn yellow, and not before.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {cardsFor} from '../../source/console/tabs/status/status-cards.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {checkHealth} from '../../source/health/health.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {sessionPool, type SessionPool} from '../helpers/pg-sessions.js';
import {render} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let db: TestDatabase;
let pool: SessionPool;
let temp: TempSqlite;
const open: Backends[] = [];

beforeAll(async () => {
	db = await createTestDatabase('opsdeck_pgcard');
	pool = sessionPool(db.url);
	temp = tempSqlite();
});

afterEach(async () => {
	await pool.closeAll();
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

afterAll(async () => {
	await db?.drop();
	temp?.cleanup();
});

const appName = () => `pgcard-${crypto.randomBytes(4).toString('hex')}`;

describe('Status card: the PostgreSQL thresholds', () => {
	it('draws the oldest idle-in-transaction session with the reason; it and conns are yellow past pgIdleInTransactionMs and pgConnectionsRatio', async () => {
		fs.writeFileSync(path.join(temp.dir, 'opsdeck.config.json'), JSON.stringify({thresholds: {pgIdleInTransactionMs: 1000, pgConnectionsRatio: 0.001}}));
		try {
			const idle = await pool.connect(appName());
			await idle.client.query('begin');
			await idle.client.query('select 1');
			const config = loadConfig({env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: db.url, SQLITE_PATH: temp.path, POLL_INTERVAL_MS: '300'}, cwd: temp.dir});
			const backends = createBackends(config);
			open.push(backends);
			await backends.postgres.start();
			const app = render(<App backends={backends} startOnMount={false} />);
			const screen = await app.waitFor(s => new RegExp(`idle in tx +pid ${idle.pid}, \\d+\\.\\ds`).test(s) && s.includes(`postgres session pid ${idle.pid} idle in transaction for`), 10_000);
			expect(screen).toMatch(/DEGRADED/);
			// the colours (the test terminal draws none): yellow past each threshold, not before
			const rows = async (thresholds: typeof config.thresholds) => (cardsFor(await checkHealth(backends), thresholds).find(c => c.id === 'postgres')?.rows ?? []);
			const past = await rows(config.thresholds);
			expect(past.find(r => r.label === 'idle in tx')).toMatchObject({value: expect.stringMatching(`^pid ${idle.pid}, `), color: 'yellow'});
			expect(past.find(r => r.label === 'conns')).toMatchObject({color: 'yellow'});
			const within = await rows({...config.thresholds, pgIdleInTransactionMs: 3_600_000, pgConnectionsRatio: 0.99});
			expect(within.find(r => r.label === 'idle in tx')?.color).toBeUndefined();
			expect(within.find(r => r.label === 'conns')?.color).toBeUndefined();
		} finally {
			fs.rmSync(path.join(temp.dir, 'opsdeck.config.json'), {force: true});
		}
	});
});
