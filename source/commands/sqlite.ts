// opsdeck sqlite check [--relations] | vacuum [--yes] | analyze [--yes] | export TABLE [--format csv|json] [--output FILE [--force]]
// Maintenance of the SQLite data file. export streams rows (a big table never sits in memory) to
// stdout or to FILE; `--json` alone means `--format json`.
import fs from 'node:fs';
import path from 'node:path';
import {Writable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {assertDataFile} from '../backends/sqlite.js';
import {fileId, storageProblem} from '../backups/files.js';
import {forgetTemp, trackTemp, withInterrupt} from '../system/temp-files.js';
import {analyzeDatabase, analyzeRequest, checkDatabase, exportTable, TableNotFoundError, vacuumDatabase, vacuumRequest} from '../sqlite/maintenance.js';
import {formatBytes, formatDuration, plural} from '../text/format.js';
import {writeText} from '../text/out.js';
import {sanitize} from '../text/sanitize.js';
import {refuseReadOnly} from '../mutations/registry.js';
import {relations} from './sqlite-relations.js';
import {CommandError, confirm, print, printJson, UsageError, warn, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck sqlite check [--relations] | vacuum [--yes] | analyze [--yes] | export TABLE [--format csv|json] [--output FILE [--force]]';

function requireFile(ctx: CommandContext): void {
	try {
		// a folder, a file this user may not read, a folder on the way it may not enter: said as such
		assertDataFile(ctx.config.sqlitePath);
	} catch (error) {
		throw new CommandError((error as Error).message);
	}
	if (!fs.existsSync(ctx.config.sqlitePath)) throw new CommandError(`no SQLite data file at ${ctx.config.sqlitePath}`);
}

async function check(ctx: CommandContext): Promise<number> {
	if (ctx.flags.relations) return relations(ctx);
	const result = await checkDatabase(ctx.backends.sqlite);
	if (ctx.flags.json) {
		printJson(ctx, {path: ctx.config.sqlitePath, ...result});
	} else {
		print(ctx, `integrity_check: ${result.integrity.length === 1 && result.integrity[0] === 'ok' ? 'ok' : ''}`);
		if (!(result.integrity.length === 1 && result.integrity[0] === 'ok')) for (const line of result.integrity.slice(0, 20)) print(ctx, `  ${sanitize(line)}`);
		print(ctx, `foreign_key_check: ${result.foreignKeys.length === 0 ? 'ok' : `${plural(result.foreignKeys.length, 'row')} ${result.foreignKeys.length === 1 ? 'points at a missing parent' : 'point at missing parents'}`}`);
		for (const fk of result.foreignKeys.slice(0, 20)) print(ctx, `  ${sanitize(fk.table)} rowid ${fk.rowid ?? '-'} -> ${sanitize(fk.parent)}`);
		print(ctx, `${result.ok ? 'ok' : 'PROBLEMS FOUND'} (${formatDuration(result.durationMs)})`);
	}
	return result.ok ? 0 : 1;
}

async function vacuum(ctx: CommandContext): Promise<number> {
	// it rewrites the whole file (and blocks the app's writes meanwhile): confirmed and audited
	const request = vacuumRequest(ctx.config);
	// refused (and audited) before anything is asked; the op refuses again itself
	refuseReadOnly(ctx.config, request);
	await confirm(ctx, request, `VACUUM ${ctx.config.sqlitePath} (rewrites the file; the app's writes wait meanwhile)?`);
	const result = await vacuumDatabase(ctx.config, ctx.backends.sqlite);
	if (ctx.flags.json) printJson(ctx, result);
	else print(ctx, `vacuumed ${ctx.config.sqlitePath}: ${formatBytes(result.beforeBytes)} -> ${formatBytes(result.afterBytes)} in ${formatDuration(result.durationMs)}`);
	return 0;
}

async function analyze(ctx: CommandContext): Promise<number> {
	const request = analyzeRequest(ctx.config);
	refuseReadOnly(ctx.config, request);
	await confirm(ctx, request, `ANALYZE ${ctx.config.sqlitePath} (writes the statistics the query planner uses)?`);
	const result = await analyzeDatabase(ctx.config, ctx.backends.sqlite);
	if (ctx.flags.json) printJson(ctx, result);
	else print(ctx, `analyzed ${plural(result.tables, 'table')} in ${formatDuration(result.durationMs)}`);
	return 0;
}

/** `file` with its folder's symlinks and `..` resolved (the folder must exist; the file need not). */
function realLocation(file: string): string {
	const resolved = path.resolve(file);
	try {
		return fs.realpathSync(resolved);
	} catch {
		try {
			return path.join(fs.realpathSync(path.dirname(resolved)), path.basename(resolved));
		} catch {
			return resolved;
		}
	}
}

/**
 * Where `--output` may write, or a UsageError: never the data file, its -wal/-shm/-journal, a file
 * in the backup folder (compared by inode and real path, so a symlink or `./x/../app.db` to the data
 * file is the data file), nor anything that is not a regular file; an existing file only with
 * --force. Returns the real path to replace (an existing symlink's target).
 */
function exportTarget(ctx: CommandContext, output: string): string {
	const target = realLocation(output);
	const live = ctx.config.sqlitePath;
	const shown = sanitize(output).slice(0, 200);
	const protectedFiles = [live, `${live}-wal`, `${live}-shm`, `${live}-journal`];
	const targetId = fileId(target);
	for (const file of protectedFiles) {
		if (realLocation(file) === target || (targetId !== undefined && fileId(file) === targetId)) {
			throw new UsageError(`--output ${shown} is ${file === live ? 'the SQLite data file' : `the data file's ${file.slice(live.length)} file`}: refused, nothing was changed`);
		}
	}
	const backupDir = realLocation(ctx.config.backupDir);
	if (path.dirname(target) === backupDir || target === backupDir) throw new UsageError(`--output ${shown} is in the backup folder ${ctx.config.backupDir}: refused, nothing was changed`);
	if (targetId !== undefined) {
		if (!fs.statSync(target).isFile()) throw new UsageError(`--output ${shown} exists and is not a regular file: refused (leave out --output to write to stdout)`);
		if (!ctx.flags.force) throw new UsageError(`--output ${shown} exists: use --force to replace it; nothing was changed`);
	}
	return target;
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
	// csv or json: --format's choices (cli/flags.ts)
	const format = ctx.flags.format ?? (ctx.flags.json ? 'json' : 'csv');
	const output = ctx.flags.output;
	if (!output) {
		try {
			await exportTable(ctx.backends.sqlite, table, format, ctx.stdout.isTTY ? terminalSink(ctx.stdout) : ctx.stdout);
			return 0;
		} catch (error) {
			if (error instanceof TableNotFoundError) throw new UsageError(sanitize(error.message));
			throw error;
		}
	}
	// Rows go to a temp file beside the target, renamed over it only when the export succeeded:
	// an unknown table, an error or Ctrl-C leaves the target as it was (issue 13, case 4).
	const target = exportTarget(ctx, output);
	const temp = path.join(path.dirname(target), `.${path.basename(target)}.export-${process.pid}.tmp`);
	return withInterrupt(ctx.stderr, () => `nothing was changed (${sanitize(output)} not written)`, async () => {
		trackTemp(temp);
		let out: fs.WriteStream | undefined;
		try {
			out = fs.createWriteStream(temp, {flags: 'wx', mode: 0o644});
			await new Promise<void>((resolve, reject) => out!.once('open', () => resolve()).once('error', reject));
			const rows = await exportTable(ctx.backends.sqlite, table, format, out);
			out.end();
			await finished(out);
			await fs.promises.rename(temp, target);
			warn(ctx, `exported ${plural(rows, 'row')} of ${sanitize(table)} to ${sanitize(output)}`);
			return 0;
		} catch (error) {
			out?.destroy();
			fs.rmSync(temp, {force: true});
			if (error instanceof TableNotFoundError) throw new UsageError(`${sanitize(error.message)}; nothing was changed`);
			// "no such file" creating a file in a folder that is there: a filesystem that makes no new files (/proc)
			if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await fs.promises.stat(path.dirname(target)).then(st => st.isDirectory(), () => false))) {
				throw new CommandError(`export to ${sanitize(output)} failed: cannot create a file in ${sanitize(path.dirname(target))}: that folder does not allow new files (no such file or directory); nothing was changed`);
			}
			const named = await storageProblem(error, path.dirname(target));
			if (named) throw new CommandError(`export to ${sanitize(output)} failed: ${named}; nothing was changed`);
			throw error;
		} finally {
			forgetTemp(temp);
		}
	});
}

const verbs: Record<string, (ctx: CommandContext) => Promise<number>> = {check, vacuum, analyze, export: exportCommand};

export async function run(ctx: CommandContext): Promise<number> {
	const verb = ctx.args[0];
	const fn = verb === undefined ? undefined : verbs[verb];
	if (!fn) throw new UsageError(verb === undefined ? usage : `unknown sqlite command "${sanitize(verb).slice(0, 40)}"; ${usage}`);
	if (ctx.flags.relations && verb !== 'check') throw new UsageError(`--relations goes with sqlite check, not sqlite ${verb}`);
	if (verb !== 'export' && ctx.args.length > 1) throw new UsageError(`sqlite ${verb} takes no arguments; ${usage}`);
	requireFile(ctx);
	return fn(ctx);
}
