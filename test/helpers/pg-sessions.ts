// Client sessions a test opens against PostgreSQL to be seen by opsdeck (a sleeping query, a lock
// holder, a transaction left idle), each with an application_name of its own, all closed by
// closeAll() (a test must never leave a session behind on the shared server).
import pg from 'pg';

export type TestSession = {
	readonly client: pg.Client;
	readonly pid: number;
	/** runs sql in the background: resolves with its rows or with the error it ended with */
	start(sql: string): Promise<unknown>;
};

export type SessionPool = {
	connect(application: string, url?: string): Promise<TestSession>;
	closeAll(): Promise<void>;
};

export function sessionPool(defaultUrl: string): SessionPool {
	const clients = new Map<pg.Client, {pid: number; url: string}>();
	return {
		async connect(application, url = defaultUrl) {
			const client = new pg.Client({connectionString: url, application_name: application, connectionTimeoutMillis: 5000});
			// a terminated session emits here: expected in these tests
			client.on('error', () => undefined);
			await client.connect();
			const pid = (await client.query<{pid: number}>('select pg_backend_pid() as pid')).rows[0]!.pid;
			clients.set(client, {pid, url});
			return {
				client,
				pid,
				start: sql => client.query(sql).then(r => r.rows, (error: unknown) => error),
			};
		},
		async closeAll() {
			// ended from the server side: a backend in the middle of pg_sleep(60) would not notice its
			// client going away until the sleep is over
			for (const url of new Set([...clients.values()].map(c => c.url))) {
				const admin = new pg.Client({connectionString: url, connectionTimeoutMillis: 5000});
				admin.on('error', () => undefined);
				try {
					await admin.connect();
					await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [[...clients.values()].filter(c => c.url === url).map(c => c.pid)]);
				} catch {
					// the server is gone already
				} finally {
					await admin.end().catch(() => undefined);
				}
			}
			await Promise.all([...clients.keys()].map(c => c.end().catch(() => undefined)));
			clients.clear();
		},
	};
}
