// A fresh PostgreSQL database per test file on the local server, so a test can kill connections
// or fill tables without touching anyone else's data.
import {execFileSync} from 'node:child_process';
import crypto from 'node:crypto';
import pg from 'pg';
import {onProcessExit} from './exit-cleanup.js';

/** Superuser connection to the local server (trust auth). Override with OPSDECK_TEST_PG_URL. */
export const adminUrl = process.env.OPSDECK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = {
	readonly name: string;
	/** postgres://…/NAME on the same server as adminUrl */
	readonly url: string;
	/** pg_terminate_backend on every connection to this database; resolves with how many */
	terminate(): Promise<number>;
	/** DROP DATABASE … WITH (FORCE) */
	drop(): Promise<void>;
};

const created = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// A file that forgot drop() (or crashed before it): drop synchronously with psql on exit or SIGTERM.
	onProcessExit(() => {
		for (const name of created) {
			try {
				execFileSync('psql', [adminUrl, '-qAtc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {stdio: 'ignore', timeout: 5000});
			} catch {
				// best effort
			}
		}
	});
}

/** Runs one statement on a short-lived admin connection. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], url = adminUrl): Promise<R[]> {
	const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 5000});
	client.on('error', () => undefined);
	await client.connect();
	try {
		return (await client.query<R>(sql, params)).rows;
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** CREATE DATABASE <prefix>_<random> and a handle to terminate its connections or drop it. */
export async function createTestDatabase(prefix = 'opsdeck_test'): Promise<TestDatabase> {
	if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`bad database prefix: ${prefix}`);
	installExitHook();
	const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
	await adminQuery(`CREATE DATABASE "${name}"`);
	created.add(name);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		async terminate() {
			const rows = await adminQuery<{ok: boolean}>(
				'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
				[name],
			);
			return rows.filter(r => r.ok).length;
		},
		async drop() {
			await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			created.delete(name);
		},
	};
}
