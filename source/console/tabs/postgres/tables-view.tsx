// The Tables screen (`t`): the database's largest tables with their size (heap + indexes + toast),
// live and dead tuples, dead ratio, the newest (auto)vacuum and (auto)analyze and the scans. Read
// when opened, then kept: read again after 60 s or on `r` (size functions are costly on big
// databases; a locked table makes the sizes estimates, and the line says so).
import type {TablesResult, TableStats} from '../../../postgres/tables.js';
import {fit, formatBytes, formatClock, formatCount, formatDateTime, formatDuration, formatPercent} from '../../../text/format.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import {Table, type Column} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import {tableRows} from '../../share/current.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {KeyEntry} from '../../input/keymap.js';

/** Tables are read again after this long (or on `r`). */
export const tablesMaxAgeMs = 60_000;

const newest = (a: Date | null, b: Date | null): Safe => {
	const at = [a, b].filter((d): d is Date => d !== null).sort((x, y) => y.getTime() - x.getTime())[0];
	return at ? sanitize(formatDateTime(at).slice(0, 16)) : ('never' as Safe);
};

const columns: Column<TableStats>[] = [
	{key: 'name', title: 'TABLE', value: t => sanitize(`${t.schema}.${t.name}`), minWidth: 16},
	{key: 'size', title: 'SIZE', value: t => formatBytes(t.totalBytes), width: 8, align: 'right'},
	{key: 'dead%', title: 'DEAD%', value: t => sanitize(`${formatPercent(t.deadRatio)}${(t.deadRatio ?? 0) > 0.2 ? '!' : ''}`), width: 6, align: 'right', priority: 1, color: t => ((t.deadRatio ?? 0) > 0.2 ? 'yellow' : undefined)},
	{key: 'dead', title: 'DEAD', value: t => formatCount(t.deadTuples), width: 9, align: 'right', priority: 3},
	{key: 'live', title: 'LIVE', value: t => formatCount(t.liveTuples), width: 11, align: 'right', priority: 2},
	{key: 'heap', title: 'HEAP', value: t => formatBytes(t.heapBytes), width: 8, align: 'right', priority: 6},
	{key: 'indexes', title: 'INDEXES', value: t => formatBytes(t.indexBytes), width: 8, align: 'right', priority: 6},
	{key: 'toast', title: 'TOAST', value: t => formatBytes(t.toastBytes), width: 8, align: 'right', priority: 7},
	{key: 'seq', title: 'SEQ SCANS', value: t => formatCount(t.seqScans), width: 9, align: 'right', priority: 5},
	{key: 'idx', title: 'IDX SCANS', value: t => formatCount(t.idxScans), width: 9, align: 'right', priority: 5},
	{key: 'vacuum', title: 'VACUUM (UTC)', value: t => newest(t.lastVacuum, t.lastAutovacuum), width: 16, priority: 4},
	{key: 'analyze', title: 'ANALYZE (UTC)', value: t => newest(t.lastAnalyze, t.lastAutoanalyze), width: 16, priority: 8},
];

type Props = {
	readonly result: TablesResult | undefined;
	readonly error: string | undefined;
	readonly width: number;
	readonly height: number;
	readonly isActive: boolean;
	readonly lead: readonly KeyEntry[];
	readonly trail: readonly KeyEntry[];
};

export function TablesView({result, error, width, height, isActive, lead, trail}: Props) {
	const tables = result?.tables ?? [];
	const tableHeight = Math.max(2, height - 1);
	const list = useListCursor(tables, t => `${t.schema}.${t.name}`, {pageSize: tableHeight - 1});
	const line = error
		? sanitize(`cannot read the tables: ${error}`)
		: result
			? sanitize(`${formatCount(tables.length)} of ${formatCount(result.total)} tables in ${result.database}, largest first · read at ${formatClock(result.readAt)}, again after ${formatDuration(tablesMaxAgeMs)} or on r${result.estimated ? ' · sizes estimated (a table is locked)' : ''}`)
			: ('reading the tables…' as Safe);
	return (
		<TabScreen keymap={[...lead, ...list.keys, ...trail]} width={width} height={height} current={{item: list.selected && {text: `${list.selected.schema}.${list.selected.name}`, what: 'table name'}, rows: {name: 'tables', table: () => tableRows('tables', columns, tables)}}}>
			<SafeText wrap="truncate" color={error ? 'red' : undefined} dimColor={!error}>{fit(line, width)}</SafeText>
			<Table columns={columns} rows={tables} cursor={list.cursor} height={tableHeight} width={width} rowKey={t => `${t.schema}.${t.name}`} showCursor={isActive} empty={result ? 'no tables in this database' : ''} />
		</TabScreen>
	);
}
