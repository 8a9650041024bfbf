// One registry of mutations drives the guard, the confirmation and the audit, for the console and
// the commands alike. Read-only mode refuses every entry; the console's dialog asks for the entry's
// word, the commands' y/N (or --yes) names it; every attempt is on record in the audit log.
// A new mutation is added to `registry`, and its op runs its work inside runMutation() (guard.ts):
// test/reliability/mutation-guard.test.ts walks the registry and fails to compile until the new
// entry has a trigger and an op there.
//
// Not in it, so not refused in read-only mode and not audited (adding them would change that):
// `backup create` (adds a file; the prune that may follow an automatic one is `prune`), `sqlite
// export --output FILE --force` (replaces a file the operator names, never the data file, its
// -wal/-shm/-journal or a backup), `reconnect` (drops a connection, changes no data), and the
// writes of `demo --traffic` (the demo app itself; the demo command refuses read-only mode first).
//
// This module is also the one import for the rest: the guard (guard.ts) and the audit log
// (audit.ts) are re-exported here, so callers import from registry.js alone.
export type MutationSpec = {
	/** what it does, for messages and help: "flush the Redis cache" */
	readonly verb: string;
	/** the word the console's dialog asks the operator to type */
	readonly word: string;
	/** every mutation is refused in read-only mode; spelled out so a new entry says so too */
	readonly readOnly: 'refused';
};

export const registry = {
	flush: {verb: 'flush the Redis cache', word: 'flush', readOnly: 'refused'},
	'delete-key': {verb: 'delete a Redis key', word: 'delete', readOnly: 'refused'},
	'clear-chat': {verb: "delete a chat's cache keys", word: 'clear', readOnly: 'refused'},
	restore: {verb: 'restore a backup over the live SQLite file', word: 'restore', readOnly: 'refused'},
	'delete-backup': {verb: 'delete a backup', word: 'delete', readOnly: 'refused'},
	prune: {verb: 'delete the backups beyond the retention', word: 'prune', readOnly: 'refused'},
	'sqlite-vacuum': {verb: 'rewrite the SQLite file (VACUUM)', word: 'vacuum', readOnly: 'refused'},
	'sqlite-analyze': {verb: 'write the SQLite statistics (ANALYZE)', word: 'analyze', readOnly: 'refused'},
	// seeds empty stores; replaces the demo's own data only with --force (its confirmation)
	demo: {verb: 'seed the demo data', word: 'seed', readOnly: 'refused'},
	// PostgreSQL sessions (issue 17); the console's dialog asks for the pid itself (signalWord in postgres/signal.ts)
	'pg-cancel': {verb: "cancel a PostgreSQL session's query", word: 'cancel', readOnly: 'refused'},
	'pg-terminate': {verb: 'terminate a PostgreSQL session', word: 'terminate', readOnly: 'refused'},
	// the Redis view (redis-server/): the slow log of every server; one client connection
	'slowlog-reset': {verb: 'empty the Redis slow log (SLOWLOG RESET)', word: 'reset', readOnly: 'refused'},
	'client-kill': {verb: 'close a Redis client connection (CLIENT KILL)', word: 'kill', readOnly: 'refused'},
	// APP_SERVICE's process: systemctl restart, pm2 restart, or SIGTERM and wait for a new pid
	'app-restart': {verb: "restart the app's process", word: 'restart', readOnly: 'refused'},
	// a backup's off-site copy (issue 19): the file and its sidecar on an s3:// or sftp:// remote
	'delete-remote-backup': {verb: 'delete a backup from an off-site remote', word: 'delete', readOnly: 'refused'},
} as const satisfies Record<string, MutationSpec>;

export type Mutation = keyof typeof registry;
export const mutations = Object.keys(registry) as Mutation[];

export function mutationSpec(action: Mutation): MutationSpec {
	return registry[action];
}

export type MutationRequest = {
	readonly action: Mutation;
	/** what it acts on, e.g. "redis://127.0.0.1:6379/0 (3,450 keys)"; masked before it is logged */
	readonly target: string;
	/**
	 * the word to type when it is not the entry's own: one that names what is acted on (a client
	 * kill asks for the client's id, so the dialog confirms that client and no other)
	 */
	readonly word?: string;
};

/** The word the console's dialog asks for: the request's own, else its entry's. */
export function confirmationWord(request: MutationRequest): string {
	return request.word ?? registry[request.action].word;
}

export {AuditError, MutationRefusedError, ReadOnlyError, refuseReadOnly, runMutation} from './guard.js';
export {appendAudit, auditRefusal, readAudit, unfinishedNote, type AuditEntry, type AuditResult, type AuditWarn} from './audit.js';
