// opsdeck pg activity [--all] [--min-duration 5s] | locks | tables [--limit N] | queries [--limit N]   [--json]
// opsdeck pg cancel PID [--yes] | terminate PID [--yes]
// What the Postgres tab shows, once: the same functions of source/postgres/ the tab calls. cancel and
// terminate go through the mutation registry (read-only refusal, y/N or --yes, audit).
import {MutationRefusedError, auditRefusal, refuseReadOnly} from '../mutations/registry.js';
import {readBlocking} from '../postgres/blocking.js';
import {readOverview} from '../postgres/overview.js';
import {readTopQueries} from '../postgres/queries.js';
import {findSession, hiddenNote, readSessions} from '../postgres/sessions.js';
import {signalProblem, signalQuestion, signalRequest, signalSession, type SignalKind} from '../postgres/signal.js';
import {readTables} from '../postgres/tables.js';
import {parseDuration, selectSessions} from '../postgres/views.js';
import {formatCount, formatDuration} from '../text/format.js';
import {errorMessage} from '../text/mask.js';
import {blockingLines, overviewLine, queriesTable, sessionTable, tablesTable} from '../text/pg-text.js';
import {quote, sanitize} from '../text/sanitize.js';
import {backendAddress, CommandError, confirm, connectionFailure, intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck pg activity [--all] [--min-duration 5s] | locks | tables [--limit N] | queries [--limit N] | cancel PID [--yes] | terminate PID [--yes]';

async function activity(ctx: CommandContext): Promise<number> {
	let minDurationMs = 0;
	if (ctx.flags.minDuration !== undefined) {
		const parsed = parseDuration(ctx.flags.minDuration);
		if (parsed === undefined) throw new UsageError(`--min-duration must be a duration like 500ms, 5s, 2m or 1h (got ${quote(ctx.flags.minDuration.slice(0, 20))})`);
		minDurationMs = parsed;
	}
	const view = ctx.flags.all ? 'all' : 'running';
	const [{sessions, hidden}, overview] = await Promise.all([readSessions(ctx.backends.postgres), readOverview(ctx.backends.postgres)]);
	const shown = selectSessions(sessions, {view, minDurationMs});
	const note = hidden > 0 ? hiddenNote : undefined;
	if (ctx.flags.json) {
		printJson(ctx, {view, minDurationMs, total: sessions.length, hidden, ...(note ? {note} : {}), overview, sessions: shown});
		return 0;
	}
	if (shown.length > 0) for (const line of sessionTable(shown)) print(ctx, line);
	const idle = view === 'running' ? '; idle ones with --all' : '';
	const min = minDurationMs > 0 ? `, at least ${formatDuration(minDurationMs)}` : '';
	print(ctx, `${formatCount(shown.length)} of ${formatCount(sessions.length)} sessions (${view}${min}${idle}; opsdeck's own not listed)`);
	print(ctx, overviewLine(overview));
	if (note) print(ctx, `${formatCount(hidden)} ${note}`);
	return 0;
}

async function locks(ctx: CommandContext): Promise<number> {
	const blocking = await readBlocking(ctx.backends.postgres);
	if (ctx.flags.json) printJson(ctx, {tree: blocking.tree, edges: blocking.edges});
	else if (blocking.tree.length === 0) print(ctx, 'no session is waiting on another');
	else for (const line of blockingLines(blocking.tree)) print(ctx, line);
	return 0;
}

async function tables(ctx: CommandContext): Promise<number> {
	const result = await readTables(ctx.backends.postgres, {limit: intFlag(ctx.flags.limit, 'limit', 100, 1, 100_000)});
	if (ctx.flags.json) {
		printJson(ctx, result);
		return 0;
	}
	if (result.tables.length > 0) for (const line of tablesTable(result)) print(ctx, line);
	const estimated = result.estimated ? '; sizes estimated from page counts (a table is locked: exact sizes would wait for it)' : '';
	print(ctx, `${formatCount(result.tables.length)} of ${formatCount(result.total)} tables in ${sanitize(result.database)}, largest first${estimated}`);
	return 0;
}

async function queries(ctx: CommandContext): Promise<number> {
	const result = await readTopQueries(ctx.backends.postgres, {limit: intFlag(ctx.flags.limit, 'limit', 20, 1, 10_000)});
	if (ctx.flags.json) printJson(ctx, result.available && result.hidden > 0 ? {...result, note: hiddenNote} : result);
	else if (!result.available) print(ctx, result.hint);
	else {
		for (const line of queriesTable(result)) print(ctx, line);
		if (result.hidden > 0) print(ctx, `${formatCount(result.hidden)} ${hiddenNote}`);
	}
	return 0;
}

function pidArg(ctx: CommandContext, kind: SignalKind): number {
	const word = ctx.args[1];
	if (word === undefined || ctx.args.length > 2) throw new UsageError(`pg ${kind} takes one PID; ${usage}`);
	if (!/^\d{1,10}$/.test(word) || Number(word) < 1 || Number(word) > 2_147_483_647) throw new UsageError(`pg ${kind}: PID must be a process id (got ${quote(word.slice(0, 20))})`);
	return Number(word);
}

async function signal(ctx: CommandContext, kind: SignalKind): Promise<number> {
	const pid = pidArg(ctx, kind);
	const {config, backends} = ctx;
	// refused before anything is read or asked; the refusal is audited
	refuseReadOnly(config, signalRequest(kind, pid));
	const session = await findSession(backends.postgres, pid);
	if (!session) throw new CommandError(`no PostgreSQL session with pid ${pid} on ${backends.postgres.maskedUrl}; nothing was done`);
	const request = signalRequest(kind, pid, session);
	const problem = signalProblem(kind, session);
	if (problem) {
		auditRefusal(config, request, problem);
		throw new UsageError(`refused: ${problem}; nothing was done`);
	}
	await confirm(ctx, request, signalQuestion(kind, session));
	try {
		const result = await signalSession(config, backends.postgres, kind, session);
		if (ctx.flags.json) printJson(ctx, {...result, session});
		else print(ctx, kind === 'cancel' ? `cancelled the query of pid ${pid}; the session stays open` : `terminated pid ${pid}: the session is closed and its open transaction rolled back`);
		return 0;
	} catch (error) {
		if (error instanceof MutationRefusedError) throw new UsageError(error.message);
		// 42501 insufficient_privilege
		if ((error as {code?: string}).code === '42501') throw new CommandError(`${errorMessage(error)} (${kind} needs pg_signal_backend, membership in the session's role, or superuser)`);
		throw error;
	}
}

const verbs: Record<string, (ctx: CommandContext) => Promise<number>> = {
	activity,
	locks,
	tables,
	queries,
	cancel: ctx => signal(ctx, 'cancel'),
	terminate: ctx => signal(ctx, 'terminate'),
};

export async function run(ctx: CommandContext): Promise<number> {
	const verb = ctx.args[0];
	const fn = verb === undefined || !Object.hasOwn(verbs, verb) ? undefined : verbs[verb];
	if (!fn) throw new UsageError(verb === undefined ? usage : `unknown pg command "${sanitize(verb).slice(0, 40)}"; ${usage}`);
	if (verb !== 'cancel' && verb !== 'terminate' && ctx.args.length > 1) throw new UsageError(`pg ${verb} takes no arguments; ${usage}`);
	if (ctx.flags.minDuration !== undefined && verb !== 'activity') throw new UsageError(`--min-duration is for pg activity; ${usage}`);
	try {
		return await fn(ctx);
	} catch (error) {
		// a server that stopped answering or went away under the command: named, with its address
		throw connectionFailure('postgres', backendAddress(ctx.backends.postgres.url, 5432), error) ?? error;
	}
}
