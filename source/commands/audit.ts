// opsdeck audit [--json] [--limit N]: the audit log of destructive actions, newest last. A mutation
// whose result line never came (its process was killed after it started) shows as such.
import {readAudit, unfinishedNote} from '../mutations/registry.js';
import {fsReason} from '../text/fs-reason.js';
import {errorMessage} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, intFlag, print, printJson, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	const limit = intFlag(ctx.flags.limit, 'limit', 50, 1, 1_000_000);
	let entries: ReturnType<typeof readAudit>;
	try {
		entries = readAudit(ctx.config, limit);
	} catch (error) {
		// "EISDIR: illegal operation on a directory, read" named neither the file nor the problem
		throw new CommandError(`cannot read the audit log ${ctx.config.auditLog}: ${fsReason(error) ?? errorMessage(error)} (--audit-log or OPSDECK_AUDIT_LOG)`);
	}
	if (ctx.flags.json) {
		printJson(ctx, {file: ctx.config.auditLog, entries: entries.map(e => (e.result === 'started' ? {...e, unfinished: unfinishedNote(e)} : e))});
		return 0;
	}
	if (entries.length === 0) {
		print(ctx, `no entries in ${ctx.config.auditLog}`);
		return 0;
	}
	for (const e of entries) {
		const detail = e.error ? `  (${e.error})` : e.detail ? `  (${e.detail})` : '';
		const result = e.result === 'started' ? unfinishedNote(e) : `${e.result}  ${e.durationMs}ms${detail}`;
		print(ctx, sanitize(`${e.time}  ${e.user}@${e.host}  ${e.action}  ${e.target}  ${result}`));
	}
	return 0;
}
