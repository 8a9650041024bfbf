// opsdeck sqlite check --relations [--json]: foreign_key_check grouped per declared key and the
// ORPHAN_CHECKS, each with its count and sample rows. Exit 1 when orphans are found (or a check
// cannot run), 0 when none. Table contents are the app's data: every value is escaped on output.
import {checkRelations, type SampleRow} from '../sqlite/relations.js';
import {formatCount, formatDuration, plural} from '../text/format.js';
import {quote, sanitize} from '../text/sanitize.js';
import {print, printJson, type CommandContext} from './shared.js';

function rowText(row: SampleRow): string {
	return Object.entries(row).map(([k, v]) => {
		const value = typeof v === 'string' ? quote(v.length > 40 ? `${v.slice(0, 39)}…` : v) : String(v);
		return `${k}=${value}`;
	}).join(' ');
}

export async function relations(ctx: CommandContext): Promise<number> {
	const result = await checkRelations(ctx.backends.sqlite, ctx.config.orphanChecks);
	if (ctx.flags.json) {
		printJson(ctx, {path: ctx.config.sqlitePath, ...result});
		return result.ok ? 0 : 1;
	}
	const fkOrphans = result.foreignKeys.reduce((n, g) => n + g.count, 0);
	print(ctx, `foreign_key_check: ${result.foreignKeys.length === 0 ? 'ok' : `${plural(fkOrphans, 'row')} without a parent`} (${plural(result.declared, 'declared foreign key')})`);
	for (const g of result.foreignKeys) {
		print(ctx, `  ${sanitize(`${g.table}(${g.columns.join(', ')}) -> ${g.parent}(${g.parentColumns.join(', ')})`)}: ${formatCount(g.count)} ${g.count === 1 ? 'orphan' : 'orphans'}`);
		for (const row of g.samples) print(ctx, `    ${sanitize(rowText(row))}`);
	}
	if (ctx.config.orphanChecks.length === 0 && result.declared === 0) print(ctx, 'orphan checks: none configured (ORPHAN_CHECKS=child_table.column->parent_table.column, comma-separated)');
	for (const c of result.orphanChecks) {
		const name = sanitize(`${c.child}.${c.childColumn}->${c.parent}.${c.parentColumn}`);
		if (c.status === 'declared') print(ctx, `orphan check ${name}: a declared foreign key (foreign_key_check above)`);
		else if (c.status === 'error') print(ctx, `orphan check ${name}: cannot run: ${sanitize(c.error ?? 'unknown error')}`);
		else print(ctx, `orphan check ${name}: ${c.count === 0 ? 'ok' : `${formatCount(c.count)} ${c.count === 1 ? 'orphan' : 'orphans'}`}`);
		for (const row of c.samples) print(ctx, `    ${sanitize(rowText(row))}`);
	}
	// a check that could not run found nothing either way: "ORPHANS FOUND" would be a lie
	const orphans = fkOrphans > 0 || result.orphanChecks.some(c => c.status !== 'error' && c.count > 0);
	const failed = result.orphanChecks.filter(c => c.status === 'error').length;
	const verdict = result.ok ? 'ok' : orphans ? `ORPHANS FOUND${failed > 0 ? ` (and ${plural(failed, 'check')} could not run)` : ''}` : `CHECK FAILED: ${plural(failed, 'check')} could not run, no orphans found by the rest`;
	print(ctx, `${verdict} (${formatDuration(result.durationMs)})`);
	return result.ok ? 0 : 1;
}
