// Who blocks whom, from pg_blocking_pids(). That function takes the lock manager's partition locks
// while it reads them: the tab calls readBlocking only while its blocking view is open, and only
// for sessions already waiting on a lock (wait_event_type 'Lock'), never for every row.
// The tree: the roots are sessions that block others and wait on nobody; under each, the sessions
// it blocks, and so on (see blockingTree). pid 0 is a prepared transaction.
import type {PostgresBackend} from '../backends/postgres.js';
import {sessionColumns, toSession, type Session, type SessionRow} from './sessions.js';

export type BlockingEdge = {
	/** the waiting session */
	readonly pid: number;
	/** the sessions it waits on (0: a prepared transaction) */
	readonly blockedBy: readonly number[];
};

export type BlockingNode = {
	readonly pid: number;
	/** undefined for a prepared transaction (pid 0) or a session gone between the reads */
	readonly session: Session | undefined;
	readonly blockedBy: readonly number[];
	readonly blocks: readonly BlockingNode[];
};

export type Blocking = {
	readonly edges: readonly BlockingEdge[];
	/** the sessions in the tree, opsdeck's own included when it is part of it */
	readonly sessions: readonly Session[];
	readonly tree: readonly BlockingNode[];
};

// One statement: the waiting sessions' blockers, then every session on either end of an edge.
const blockingSql = `
with waiting as (
	select pid, pg_blocking_pids(pid) as blocked_by from pg_stat_activity
	where wait_event_type = 'Lock' and pid <> pg_backend_pid()
), edges as (select * from waiting where cardinality(blocked_by) > 0)
select ${sessionColumns}, coalesce(e.blocked_by, '{}') as blocked_by
from pg_stat_activity a left join edges e on e.pid = a.pid
where a.pid in (select pid from edges union select unnest(blocked_by) from edges)
order by a.pid`;

/** The blocking edges and the sessions on them: one short query. */
export async function readBlocking(postgres: PostgresBackend): Promise<Blocking> {
	const rows = await postgres.query<SessionRow & {blocked_by: number[]}>(blockingSql);
	const edges = rows.filter(r => r.blocked_by.length > 0).map(r => ({pid: r.pid, blockedBy: [...r.blocked_by].sort((a, b) => a - b)}));
	const sessions = rows.map(toSession);
	return {edges, sessions, tree: blockingTree(sessions, edges)};
}

/**
 * The tree of who blocks whom (pure). Each session shows once, under the blocker nearest a root
 * (its blockedBy lists them all): a lock queue, where each waiter is blocked by the holder and by
 * every waiter ahead of it, is then the holder with its waiters under it, not a tree that doubles
 * with each waiter. Roots in pid order; a deadlock (no root until the server breaks it) starts at
 * its lowest pid.
 */
export function blockingTree(sessions: readonly Session[], edges: readonly BlockingEdge[]): BlockingNode[] {
	const byPid = new Map(sessions.map(s => [s.pid, s]));
	const blockedBy = new Map(edges.map(e => [e.pid, e.blockedBy]));
	const blocks = new Map<number, number[]>();
	for (const edge of edges) {
		for (const blocker of edge.blockedBy) blocks.set(blocker, [...(blocks.get(blocker) ?? []), edge.pid]);
	}
	const children = new Map<number, number[]>();
	const placed = new Set<number>();
	// breadth first from the given roots: a session goes under the first (shallowest) blocker that reaches it
	const place = (roots: readonly number[]) => {
		const queue = roots.filter(pid => !placed.has(pid));
		for (const pid of queue) placed.add(pid);
		for (let i = 0; i < queue.length; i++) {
			const pid = queue[i]!;
			for (const child of [...(blocks.get(pid) ?? [])].sort((a, b) => a - b)) {
				if (placed.has(child)) continue;
				placed.add(child);
				children.set(pid, [...(children.get(pid) ?? []), child]);
				queue.push(child);
			}
		}
	};
	const blockers = [...blocks.keys()].sort((a, b) => a - b);
	const roots = blockers.filter(pid => !blockedBy.has(pid));
	place(roots);
	for (const pid of blockers) {
		if (placed.has(pid)) continue;
		roots.push(pid);
		place([pid]);
	}
	const build = (pid: number): BlockingNode => ({pid, session: byPid.get(pid), blockedBy: blockedBy.get(pid) ?? [], blocks: (children.get(pid) ?? []).map(build)});
	return roots.map(build);
}
