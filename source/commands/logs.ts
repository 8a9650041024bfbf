// opsdeck logs [SOURCE] [-n N] [--follow] [--grep RE] [--level error|warn] [--since 10m] [--json]
//   no filter:            the last N lines (default 50), read backwards from the end of the file
//   --grep/--level/--since: every line that passes, from --since (or the start) to the end, in one
//                         streaming pass; with -n, only the last N of them (read backwards)
//   --follow (-f):        the last N that pass, then new lines as they come, through rotations,
//                         until Ctrl-C / SIGTERM (tail -F)
// The Logs tab reads through the same SourceReader. Lines are sanitized by text/log-text.ts.
import fs from 'node:fs';
import path from 'node:path';
import {compileFilter, FilterError} from '../logs/filter.js';
import type {FollowEvent} from '../logs/follow.js';
import type {LogLine} from '../logs/lines.js';
import {SourceReader} from '../logs/reader.js';
import {NoTimestampsError} from '../logs/since.js';
import {findSource, logSources, type LogSource} from '../logs/sources.js';
import {parseSince, SinceError} from '../logs/timestamps.js';
import {logLineJson, logLineText} from '../text/log-text.js';
import {outJson, writeText} from '../text/out.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, intFlag, print, printJson, UsageError, warn, type CommandContext} from './shared.js';

async function pickSource(ctx: CommandContext): Promise<LogSource> {
	const [wanted, ...rest] = ctx.args;
	if (rest.length > 0) throw new UsageError(`logs takes one SOURCE (got ${ctx.args.length}: "${sanitize(ctx.args.join(' ')).slice(0, 60)}")`);
	const {sources, unmatched} = await logSources(ctx.config);
	if (wanted === undefined) {
		if (sources.length === 0) {
			if (unmatched.length > 0) throw new UsageError(`LOG_FILES ${sanitize(unmatched.join(', '))} matches no file`);
			throw new UsageError('no log sources: set LOG_FILES (paths or globs, comma-separated) or LOG_UNIT, or name a file: opsdeck logs ./app.log');
		}
		if (sources.length > 1 && ctx.stderr.isTTY) warn(ctx, `showing ${sanitize(sources[0]!.name)}; also: ${sources.slice(1).map(s => sanitize(s.name)).join(', ')} (name one to see it)`);
		return sources[0]!;
	}
	const found = findSource(sources, wanted);
	if (found) return found;
	// a file named on the command line, configured or not
	const file = path.resolve(wanted);
	if (fs.existsSync(file)) return {kind: 'file', name: path.basename(file), path: file};
	const known = sources.length > 0 ? `the sources are ${sources.map(s => sanitize(s.name)).join(', ')}` : 'no LOG_FILES or LOG_UNIT is set';
	throw new UsageError(`no log source "${sanitize(wanted).slice(0, 60)}" (and no such file): ${known}`);
}

/** Writes batches of lines, waiting for the pipe to drain (a grep over 1 GB into `less`). */
function lineWriter(ctx: CommandContext, source: LogSource) {
	const json = ctx.flags.json === true;
	const text = (lines: readonly LogLine[]) => (json ? lines.map(line => outJson(logLineJson(source, line))) : lines.map(logLineText)).join('\n') + '\n';
	return {
		write(lines: readonly LogLine[]): Promise<void> | void {
			if (lines.length === 0) return;
			if (writeText(ctx.stdout, text(lines))) return;
			return new Promise(resolve => ctx.stdout.once('drain', resolve));
		},
	};
}

function eventText(source: LogSource, event: FollowEvent): string {
	const name = source.name;
	switch (event.kind) {
		case 'rotated':
			return event.how === 'renamed' ? `${name} was rotated (renamed); following the new file` : `${name} was deleted and created again; following the new file`;
		case 'truncated':
			return event.recoveredFrom
				? `${name} was truncated (copy-truncate); the lines not shown yet were read from ${path.basename(event.recoveredFrom)}`
				: `${name} was truncated; lines written just before it may be missing`;
		case 'missing':
			return `${name} is not there; waiting for it`;
		case 'appeared':
			return `${name} appeared; following it`;
		case 'error':
			return `${name}: ${event.message}`;
	}
}

function untilStopped(): Promise<void> {
	return new Promise(resolve => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}

export async function run(ctx: CommandContext): Promise<number> {
	const follow = ctx.flags.follow === true;
	let filter;
	let since;
	try {
		filter = compileFilter({grep: ctx.flags.grep, level: ctx.flags.level});
		since = ctx.flags.since === undefined ? undefined : parseSince(ctx.flags.since);
	} catch (error) {
		if (error instanceof FilterError || error instanceof SinceError) throw new UsageError(error.message);
		throw error;
	}
	const count = intFlag(ctx.flags.lines, 'lines', 50, follow ? 0 : 1, 1_000_000);
	if (ctx.flags.count && (follow || ctx.flags.lines !== undefined)) throw new UsageError('--count counts every line that passes: not with --follow or -n');
	const source = await pickSource(ctx);
	const reader = new SourceReader(source, {filter, since});
	const out = lineWriter(ctx, source);
	try {
		const stream = (filter !== undefined || since !== undefined) && ctx.flags.lines === undefined && !follow;
		if (ctx.flags.count) {
			// grep -c: the lines that pass (every line without a filter), none written
			const matched = await reader.count();
			if (ctx.flags.json) printJson(ctx, {source: source.name, count: matched});
			else print(ctx, String(matched));
		} else if (stream) {
			await reader.all(lines => out.write(lines));
		} else if (count > 0) {
			try {
				await out.write((await reader.last(count, {partial: !follow})).lines);
			} catch (error) {
				// tail -F waits for a log that is not there yet
				if (!(follow && (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
			}
		}
		if (follow) {
			const follower = await reader.follow({onLines: lines => void out.write(lines), onEvent: event => warn(ctx, eventText(source, event))});
			await untilStopped();
			await follower.stop();
		}
	} catch (error) {
		if (error instanceof NoTimestampsError) throw new UsageError(error.message);
		const code = (error as NodeJS.ErrnoException).code;
		if (source.kind === 'file' && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')) {
			throw new CommandError(`cannot read ${source.path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'not a regular file'}`);
		}
		throw error;
	} finally {
		await reader.close();
	}
	return 0;
}
