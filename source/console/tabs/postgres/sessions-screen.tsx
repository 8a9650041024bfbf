// The sessions screen of the Postgres tab: the header from readOverview (connections, the longest
// and the idle transactions, replication; yellow past the health thresholds), the hidden-sessions
// note, a line saying what is listed, the list (or the blocking tree), and the text field `/` or
// `m` opens under it.
import type {Thresholds} from '../../../config/config.js';
import type {Overview} from '../../../postgres/overview.js';
import {hiddenNote} from '../../../postgres/sessions.js';
import type {View} from '../../../postgres/views.js';
import {fit, formatCount} from '../../../text/format.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import {Table} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import {TextField} from '../../components/text-field.js';
import type {KeyEntry} from '../../input/keymap.js';
import {headerLines, sessionColumns, type Row} from './session-rows.js';
import {sessionsCurrent} from './share-rows.js';

export type Prompt = {readonly label: string; readonly initial: string; readonly submitLabel: string; readonly submit: (value: string) => void; readonly cancel: () => void};

/** The rows the parts above the table take (the tab sizes the cursor's page from what is left). */
export function sessionsLayout(height: number, o: {readonly hidden: number; readonly prompt: boolean}) {
	const header = height >= 16 ? 3 : height >= 12 ? 2 : 1;
	const note = o.hidden > 0 ? 1 : 0;
	const table = Math.max(2, height - header - note - 1 - (o.prompt ? 1 : 0));
	return {header, note, table};
}

const emptyText: Record<View, string> = {
	running: 'no session runs a query or holds a transaction (A: all, idle included)',
	waiting: 'no session is waiting on a lock',
	blocking: 'no session is waiting on another',
	all: 'no sessions (opsdeck\'s own are not listed)',
};

type Props = {
	readonly keymap: readonly KeyEntry[];
	readonly overview: Overview | undefined;
	readonly thresholds: Thresholds;
	readonly hidden: number;
	/** what is listed (viewLine), or the error that stops the list */
	readonly line: Safe;
	readonly error: boolean;
	readonly view: View;
	readonly filtered: boolean;
	readonly loading: boolean;
	readonly rows: readonly Row[];
	readonly cursor: number;
	readonly prompt: Prompt | undefined;
	readonly isActive: boolean;
	readonly width: number;
	readonly height: number;
};

export function SessionsScreen({keymap, overview, thresholds, hidden, line, error, view, filtered, loading, rows, cursor, prompt, isActive, width, height}: Props) {
	const layout = sessionsLayout(height, {hidden, prompt: prompt !== undefined});
	const header = overview ? headerLines(overview, thresholds, layout.header) : [];
	const depth = view === 'blocking' ? Math.max(0, ...rows.map(r => r.depth)) : 0;
	const empty = loading ? 'reading pg_stat_activity…' : filtered ? 'no session matches (Esc clears the filter)' : emptyText[view];
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={sessionsCurrent(rows, cursor)}>
			{overview
				? header.map((h, i) => <SafeText key={i} wrap="truncate" color={h.warn ? 'yellow' : undefined} bold={i === 0}>{fit(h.text, width)}</SafeText>)
				: Array.from({length: layout.header}, (_, i) => <SafeText key={i} dimColor wrap="truncate">{(i === 0 ? sanitize(loading ? 'connecting…' : ' ') : ' ') as Safe}</SafeText>)}
			{layout.note ? <SafeText wrap="truncate" color="yellow">{fit(sanitize(`${formatCount(hidden)} ${hiddenNote}`), width)}</SafeText> : null}
			<SafeText wrap="truncate" color={error ? 'red' : undefined} dimColor={!error}>{fit(line, width)}</SafeText>
			<Table columns={sessionColumns(width, depth)} rows={rows} cursor={cursor} height={layout.table} width={width} rowKey={r => String(r.pid)} showCursor={isActive} empty={empty} />
			{prompt ? <TextField label={prompt.label} initial={prompt.initial} submitLabel={prompt.submitLabel} isActive={isActive} width={width} onSubmit={prompt.submit} onCancel={prompt.cancel} /> : null}
		</TabScreen>
	);
}
