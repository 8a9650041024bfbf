// The Top queries screen (`Q`): pg_stat_statements by total execution time (calls, total, mean,
// rows), Enter opens one whole; or, without the extension, the one line that says how to enable it.
// Read when opened, then every 10 s or on `r`.
import {Box} from 'ink';
import {hiddenNote} from '../../../postgres/sessions.js';
import type {TopQueries, TopQuery} from '../../../postgres/queries.js';
import {fit, formatCount, formatDuration} from '../../../text/format.js';
import {queryText} from '../../../text/pg-text.js';
import {sanitize, sanitizeExact, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import {Table, type Column} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import type {ListCursor} from '../../hooks/use-list-cursor.js';
import type {KeyEntry} from '../../input/keymap.js';
import {queriesCurrent} from './share-rows.js';

export const queriesMaxAgeMs = 10_000;

export const queryColumns: Column<TopQuery>[] = [
	{key: 'calls', title: 'CALLS', value: q => formatCount(q.calls), width: 9, align: 'right', priority: 2},
	{key: 'total', title: 'TOTAL', value: q => formatDuration(q.totalMs), width: 7, align: 'right'},
	{key: 'mean', title: 'MEAN', value: q => formatDuration(q.meanMs), width: 7, align: 'right', priority: 1},
	{key: 'rows', title: 'ROWS', value: q => formatCount(q.rows), width: 9, align: 'right', priority: 4},
	{key: 'db', title: 'DATABASE', value: q => sanitizeExact(q.database ?? '-'), minWidth: 8, priority: 5},
	{key: 'user', title: 'USER', value: q => sanitizeExact(q.user ?? '-'), minWidth: 8, priority: 6},
	{key: 'query', title: 'QUERY', value: q => queryText({hidden: q.query === null, query: q.query}, 400), minWidth: 10},
];

type Props = {
	readonly result: TopQueries | undefined;
	readonly error: string | undefined;
	/** the tab's cursor over result's queries (the tab opens the highlighted one) */
	readonly list: ListCursor<TopQuery>;
	readonly width: number;
	readonly height: number;
	readonly isActive: boolean;
	readonly lead: readonly KeyEntry[];
	readonly trail: readonly KeyEntry[];
};

export function QueriesView({result, error, list, width, height, isActive, lead, trail}: Props) {
	const keymap = [...lead, ...list.keys, ...trail];
	if (!result || !result.available) {
		const text: Safe = error ? sanitize(`cannot read the top queries: ${error}`) : result ? sanitize(result.hint) : ('reading pg_stat_statements…' as Safe);
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<Box width={width} height={height} overflowY="hidden">
					<SafeText wrap="wrap" color={error ? 'red' : result ? 'yellow' : undefined}>{text}</SafeText>
				</Box>
			</TabScreen>
		);
	}
	const note = result.hidden > 0 ? sanitize(`${formatCount(result.hidden)} ${hiddenNote}`) : undefined;
	const line = error ? sanitize(`cannot read the top queries: ${error}`) : sanitize(`top ${formatCount(result.queries.length)} queries by total time, every database (pg_stat_statements) · again every ${formatDuration(queriesMaxAgeMs)} or on r`);
	const tableHeight = Math.max(2, height - 1 - (note ? 1 : 0));
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={queriesCurrent(result.queries, list.cursor, queryColumns)}>
			<SafeText wrap="truncate" color={error ? 'red' : undefined} dimColor={!error}>{fit(line, width)}</SafeText>
			{note ? <SafeText wrap="truncate" color="yellow">{fit(note, width)}</SafeText> : null}
			<Table columns={queryColumns} rows={result.queries} cursor={list.cursor} height={tableHeight} width={width} rowKey={(q, i) => `${q.queryId ?? i}|${q.database ?? ''}|${q.user ?? ''}`} showCursor={isActive} empty="no statements recorded yet" />
		</TabScreen>
	);
}
