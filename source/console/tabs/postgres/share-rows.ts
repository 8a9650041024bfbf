// What `y` copies and `E` exports on the Postgres tab: the highlighted session's query (as it is,
// line breaks and all) and the sessions listed; the highlighted top query and the top queries.
// The exported query is whole (the list cuts it at 400 characters), on one line, escaped.
import type {TopQuery} from '../../../postgres/queries.js';
import {queryText} from '../../../text/pg-text.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import type {Current} from '../../share/current.js';
import {tableRows} from '../../share/current.js';
import type {Column} from '../../components/table.js';
import {sessionColumns, type Row} from './session-rows.js';

const whole = 10_000_000;

export function sessionsCurrent(rows: readonly Row[], cursor: number): Current {
	const session = rows[cursor]?.session;
	return {
		item: session && !session.hidden && session.query ? {text: session.query, what: 'query'} : undefined,
		rows: {
			name: 'sessions',
			table: () => {
				const columns = sessionColumns(200).map(c => (c.key === 'query' ? {...c, value: (r: Row) => (r.session ? queryText(r.session, whole) : c.value(r))} : c));
				// PIDs without the tree's indent: the depth has its own column
				const plain = columns.map(c => (c.key === 'pid' ? {...c, value: (r: Row) => sanitize(String(r.pid))} : c));
				return tableRows('sessions', plain, rows, [{title: 'DEPTH', value: r => r.depth}]);
			},
		},
	};
}

export function queriesCurrent(queries: readonly TopQuery[], cursor: number, columns?: readonly Column<TopQuery>[]): Current {
	const query = queries[cursor]?.query;
	return {
		item: query ? {text: query, what: 'query'} : undefined,
		rows: columns && {
			name: 'top queries',
			table: () => tableRows('top queries', columns.map(c => (c.key === 'query' ? {...c, value: (q: TopQuery) => (q.query === null ? ('(hidden)' as Safe) : queryText({hidden: false, query: q.query}, whole))} : c)), queries),
		},
	};
}
