// opsdeck sqlite check | vacuum | analyze | export TABLE [--format csv|json] [--output FILE]
// Maintenance of the SQLite data file. export streams rows (a big table never sits in memory) to
// stdout or to FILE; `--json` alone means `--format json`.
import fs from 'node:fs';
import {Writable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {analyzeDatabase, checkDatabase, exportTable, TableNotFoundError, vacuumDatabase} from '../ops/sqlite-maintenance.js';
import {formatBytes, formatCount, formatDuration} from '../text/format.js';
import {writeText} from '../text/out.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, print, printJson, UsageError, warn, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck sqlite check | vacuum | analyze | export TABLE [--format csv|json] [--output FILE]';

function requireFile(ctx: CommandContext): void {
	if (!fs.existsSync(ctx.config.sqlitePath)) throw new CommandError(`no SQLite data file at ${ctx.config.sqlitePath}`);
}

async function check(ctx: CommandContext): Promise<number> {
	const result = await checkDatabase(ctx.backends.sqlite);
	if (ctx.flags.json) {
		printJson(ctx, {path: ctx.config.sqlitePath, ...result});
	} else {
		print(ctx, `integrity_check: ${result.integrity.length === 1 && result.integrity[0] === 'ok' ? 'ok' : ''}`);
		if (!(result.integrity.length === 1 && result.integrity[0] === 'ok')) for (const line of result.integrity.slice(0, 20)) print(ctx, `  ${sanitize(line)}`);
		print(ctx, `foreign_key_check: ${result.foreignKeys.length === 0 ? 'ok' : `${formatCount(result.foreignKeys.length)} rows point at missing parents`}`);
		for (const fk of result.foreignKeys.slice(0, 20)) print(ctx, `  ${sanitize(fk.table)} rowid ${fk.rowid ?? '-'} -> ${sanitize(fk.parent)}`);
		print(ctx, `${result.ok ? 'ok' : 'PROBLEMS FOUND'} (${formatDuration(result.durationMs)})`);
	}
	return result.ok ? 0 : 1;
}

async function vacuum(ctx: CommandContext): Promise<number> {
	if (ctx.config.readOnly) throw new UsageError('read-only mode: vacuum refused (it rewrites the file)');
	const result = await vacuumDatabase(ctx.backends.sqlite);
	if (ctx.flags.json) printJson(ctx, result);
	else print(ctx, `vacuumed ${ctx.config.sqlitePath}: ${formatBytes(result.beforeBytes)} -> ${formatBytes(result.afterBytes)} in ${formatDuration(result.durationMs)}`);
	return 0;
}

async function analyze(ctx: CommandContext): Promise<number> {
	if (ctx.config.readOnly) throw new UsageError('read-only mode: analyze refused (it writes statistics)');
	const result = await analyzeDatabase(ctx.backends.sqlite);
	if (ctx.flags.json) printJson(ctx, result);
	else print(ctx, `analyzed ${result.tables} tables in ${formatDuration(result.durationMs)}`);
	return 0;
}

/**
 * Rows shown on a terminal are read by a person: sanitized like any server text (CR LF as a plain
 * line break). A file or a pipe gets the exact bytes.
 */
function terminalSink(stdout: NodeJS.WriteStream): Writable {
	return new Writable({
		write(chunk: Buffer | string, _encoding, callback) {
			if (writeText(stdout, String(chunk).replaceAll('\r\n', '\n'))) callback();
			else stdout.once('drain', () => callback());
		},
	});
}

async function exportCommand(ctx: CommandContext): Promise<number> {
	const table = ctx.args[1];
	if (table === undefined) throw new UsageError(`sqlite export needs a TABLE; ${usage}`);
	if (ctx.args.length > 2) throw new UsageError(`sqlite export takes one TABLE; ${usage}`);
	const format = ctx.flags.format ?? (ctx.flags.json ? 'json' : 'csv');
	if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json (got ${JSON.stringify(sanitize(format).slice(0, 20))})`);
	const output = ctx.flags.output;
	const out = output ? fs.createWriteStream(output) : ctx.stdout.isTTY ? terminalSink(ctx.stdout) : ctx.stdout;
	if (output) await new Promise<void>((resolve, reject) => (out as fs.WriteStream).once('open', () => resolve()).once('error', reject));
	try {
		const rows = await exportTable(ctx.backends.sqlite, table, format, out);
		if (output) {
			out.end();
			await finished(out);
			warn(ctx, `exported ${formatCount(rows)} rows of ${sanitize(table)} to ${output}`);
		}
		return 0;
	} catch (error) {
		if (output) {
			(out as fs.WriteStream).destroy();
			fs.rmSync(output, {force: true});
		}
		if (error instanceof TableNotFoundError) throw new UsageError(error.message);
		throw error;
	}
}

const verbs: Record<string, (ctx: CommandContext) => Promise<number>> = {check, vacuum, analyze, export: exportCommand};

export async function run(ctx: CommandContext): Promise<number> {
	const verb = ctx.args[0];
	const fn = verb === undefined ? undefined : verbs[verb];
	if (!fn) throw new UsageError(verb === undefined ? usage : `unknown sqlite command "${sanitize(verb).slice(0, 40)}"; ${usage}`);
	if (verb !== 'export' && ctx.args.length > 1) throw new UsageError(`sqlite ${verb} takes no arguments; ${usage}`);
	requireFile(ctx);
	return fn(ctx);
}
