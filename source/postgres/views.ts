// The views over the sessions (pure: the tab and `pg activity` both call selectSessions):
//   running  every session that is not idle: active queries and open transactions (the default;
//            idle sessions are hidden by default, an idle transaction is not idle);
//   waiting  sessions waiting on a lock (wait_event_type Lock);
//   blocking sessions in a blocking relation, as edges from readBlocking (the tab draws the tree);
//   all      every session, idle ones included.
// Then a minimum duration, a text filter (database, user, application, query, pid) and a sort.
import {sessionDuration, type Session} from './sessions.js';
import type {BlockingEdge} from './blocking.js';

export type View = 'running' | 'waiting' | 'blocking' | 'all';
export type SortKey = 'duration' | 'pid' | 'state';

export const views: readonly View[] = ['running', 'waiting', 'blocking', 'all'];
export const sortKeys: readonly SortKey[] = ['duration', 'pid', 'state'];

export type ViewOptions = {
	readonly view?: View;
	/** only sessions at least this long in their state (see sessionDuration) */
	readonly minDurationMs?: number;
	/** case-insensitive substring of database, user, application, query or pid */
	readonly text?: string;
	readonly sort?: SortKey;
	/** for the blocking view: who waits on whom */
	readonly edges?: readonly BlockingEdge[];
};

const stateRank: Record<string, number> = {
	active: 0,
	'idle in transaction (aborted)': 1,
	'idle in transaction': 2,
	'fastpath function call': 3,
	idle: 4,
	disabled: 5,
};

function inView(session: Session, view: View, inBlocking: ReadonlySet<number>): boolean {
	switch (view) {
		case 'all':
			return true;
		case 'waiting':
			return session.waitEventType === 'Lock';
		case 'blocking':
			return inBlocking.has(session.pid);
		case 'running':
			// a hidden session's state is unknown: shown, so the hint has rows to stand for
			return session.state !== 'idle';
	}
}

function matches(session: Session, needle: string): boolean {
	const fields = [session.database, session.user, session.application, session.query, String(session.pid)];
	return fields.some(field => field !== null && field.toLowerCase().includes(needle));
}

/** The sessions of one view, filtered and sorted (longest first by default). */
export function selectSessions(sessions: readonly Session[], options: ViewOptions = {}): Session[] {
	const view = options.view ?? 'running';
	const inBlocking = new Set((options.edges ?? []).flatMap(e => [e.pid, ...e.blockedBy]));
	const needle = options.text?.trim().toLowerCase() ?? '';
	const min = options.minDurationMs ?? 0;
	const picked = sessions.filter(s => inView(s, view, inBlocking) && (min <= 0 || (sessionDuration(s) ?? -1) >= min) && (needle === '' || matches(s, needle)));
	const byDuration = (a: Session, b: Session) => (sessionDuration(b) ?? -1) - (sessionDuration(a) ?? -1) || a.pid - b.pid;
	const sort = options.sort ?? 'duration';
	if (sort === 'pid') return picked.sort((a, b) => a.pid - b.pid);
	if (sort === 'state') return picked.sort((a, b) => (stateRank[a.state ?? ''] ?? 6) - (stateRank[b.state ?? ''] ?? 6) || byDuration(a, b));
	return picked.sort(byDuration);
}

/** A duration as the operator writes it: `5s`, `500ms`, `2m`, `1h`, `1m30s`; a bare number is seconds. */
export function parseDuration(text: string): number | undefined {
	const value = text.trim().toLowerCase();
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
	const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
	if (parts.length === 0 || parts.map(p => p[0]).join('') !== value) return undefined;
	return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0));
}
