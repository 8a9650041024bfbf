// What the sessions screen polls, at the console's interval while it is on screen: the sessions and
// the header (two short queries, side by side on two pooled connections), and — only while the
// blocking view is open — the blocking tree, whose pg_blocking_pids() takes lock-manager locks.
import type {PostgresBackend} from '../../../backends/postgres.js';
import {readBlocking, type Blocking} from '../../../postgres/blocking.js';
import {readOverview, type Overview} from '../../../postgres/overview.js';
import {readSessions, type Session} from '../../../postgres/sessions.js';
import {usePoll} from '../../hooks/use-poll.js';

export type Activity = {
	readonly sessions: readonly Session[];
	readonly hidden: number;
	readonly overview: Overview;
};

/** One round trip of the tab's poll (the bench times it with 500 sessions). */
export async function readActivity(postgres: PostgresBackend): Promise<Activity> {
	const [{sessions, hidden}, overview] = await Promise.all([readSessions(postgres), readOverview(postgres)]);
	return {sessions, hidden, overview};
}

export type ActivityOptions = {
	readonly intervalMs: number;
	/** the sessions screen is on show */
	readonly enabled: boolean;
	/** the blocking view is open (and on show) */
	readonly blocking: boolean;
};

export function usePgActivity(postgres: PostgresBackend, {intervalMs, enabled, blocking}: ActivityOptions) {
	// every tick differs (each session's time moves): no comparison of the old list with the new
	const activity = usePoll(() => readActivity(postgres), {intervalMs, enabled, isEqual: () => false}, postgres);
	const tree = usePoll<Blocking>(() => readBlocking(postgres), {intervalMs, enabled: enabled && blocking}, postgres);
	const refresh = () => {
		activity.refresh();
		if (enabled && blocking) tree.refresh();
	};
	return {activity, tree, refresh};
}
