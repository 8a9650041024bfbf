// Memory by prefix: the prefix tree of the scan (bytes, share, keys), opened and closed like the
// Keys tree, with the progress of the scan above it and the biggest keys beside it (under it on a
// narrow pane when there is room). Prefixes and key names through keyText.
import {Box} from 'ink';
import {keyText} from '../../../backends/redis/key-bytes.js';
import type {BigKey, MemoryReport} from '../../../redis-server/memory.js';
import type {PrefixView} from '../../../redis-server/prefix-tree.js';
import {fit, fitMiddle, formatBytes, formatCount, formatDuration, formatPercent} from '../../../text/format.js';
import {elementUnit} from '../../../text/redis-memory-text.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import {Table, type Column} from '../../components/table.js';

export type PrefixRow = {readonly node: PrefixView; readonly open: boolean};

export const prefixId = (row: PrefixRow) => row.node.prefix;

/** The rows shown: each level's prefixes, most bytes first, with the open ones' children under them. */
export function prefixRows(root: PrefixView | undefined, open: ReadonlySet<string>): PrefixRow[] {
	const rows: PrefixRow[] = [];
	const walk = (node: PrefixView) => {
		for (const child of node.children) {
			const isOpen = open.has(child.prefix) && child.children.length > 0;
			rows.push({node: child, open: isOpen});
			if (isOpen) walk(child);
		}
	};
	if (root) walk(root);
	return rows;
}

export function memoryColumns(): Column<PrefixRow>[] {
	return [
		{key: 'prefix', title: 'PREFIX', minWidth: 12, cut: 'middle', value: ({node, open}) => sanitize(`${'  '.repeat(node.depth - 1)}${node.children.length === 0 ? ' ' : open ? '-' : '+'} ${keyText(node.prefix)}`)},
		{key: 'bytes', title: 'BYTES', width: 9, align: 'right', value: ({node}) => formatBytes(node.bytes)},
		{key: 'share', title: 'SHARE', width: 6, align: 'right', value: ({node}) => formatPercent(node.share)},
		{key: 'keys', title: 'KEYS', width: 9, align: 'right', priority: 2, value: ({node}) => formatCount(node.keys)},
	];
}

export function memoryStatus(report: MemoryReport | undefined, running: boolean, error: string | undefined): Safe {
	if (error) return sanitize(`memory scan failed: ${error}`);
	if (!report) return sanitize(running ? 'scanning…' : 'space scans the keyspace (SCAN + MEMORY USAGE): memory by prefix, biggest keys');
	const p = report.progress;
	// (the scan's cursor ends before the last batches are measured: done only once run() has returned)
	const state = running ? 'scanning' : p.done ? 'scanned' : 'stopped at';
	return sanitize(`${state} ${formatCount(p.scanned)}/${formatCount(p.total)} keys: ${formatBytes(report.bytes)} in ${formatCount(report.keys)} keys, ${formatDuration(report.durationMs)}${p.done || running ? '' : ' (space continues)'}`);
}

function bigKeyLine(k: BigKey, width: number): Safe {
	const size = formatBytes(k.bytes);
	const elements = k.elements === null || k.type === 'string' ? '' : ` ${formatCount(k.elements)} ${elementUnit[k.type] ?? 'elements'}`;
	const head = sanitize(`${size.padStart(9)} ${k.type.padEnd(6)}${elements} `);
	return sanitize(head + fitMiddle(keyText(k.key), Math.max(4, width - head.length)));
}

type Props = {
	readonly report: MemoryReport | undefined;
	readonly running: boolean;
	readonly error: string | undefined;
	readonly rows: readonly PrefixRow[];
	readonly cursor: number;
	readonly showCursor: boolean;
	readonly width: number;
	readonly height: number;
};

/** How tall the prefix table is (the tab's list cursor pages by it). */
export function memoryTableHeight(width: number, height: number): number {
	const body = Math.max(2, height - 1);
	return width >= 80 || height < 12 ? body : Math.max(2, body - Math.min(6, Math.floor(body / 3)));
}

export function MemoryView({report, running, error, rows, cursor, showCursor, width, height}: Props) {
	const side = width >= 80;
	const tableWidth = side ? Math.floor(width * 0.55) : width;
	const keysWidth = side ? width - tableWidth - 1 : width;
	const tableHeight = memoryTableHeight(width, height);
	const keysHeight = side ? tableHeight : Math.max(0, height - 1 - tableHeight);
	// by memory, then (redis-cli --bigkeys' answer) by element count, as far as there is room
	const byMemory = report?.biggestByMemory ?? [];
	const byElements = report?.biggestByElements ?? [];
	const keyLines = [
		sanitize('biggest keys'),
		...byMemory.slice(0, Math.max(1, keysHeight - (byElements.length > 0 ? 4 : 1))).map(k => bigKeyLine(k, keysWidth)),
		...(byElements.length > 0 ? [sanitize('by elements'), ...byElements.map(k => bigKeyLine(k, keysWidth))] : []),
	].slice(0, keysHeight);
	const keysBox = keysHeight > 0 ? (
		<Box flexDirection="column" width={keysWidth} height={keysHeight} overflowY="hidden">
			{keyLines.map((line, i) => <SafeText key={i} bold={line === 'biggest keys' || line === 'by elements'} wrap="truncate">{fit(line, keysWidth)}</SafeText>)}
		</Box>
	) : null;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<SafeText color={error ? 'red' : 'cyan'} wrap="truncate">{fit(memoryStatus(report, running, error), width)}</SafeText>
			<Box flexDirection={side ? 'row' : 'column'} width={width}>
				<Table columns={memoryColumns()} rows={rows} cursor={cursor} height={tableHeight} width={tableWidth} rowKey={prefixId} showCursor={showCursor} empty={report ? 'no keys' : ''} />
				{side ? <Box width={1} /> : null}
				{keysBox}
			</Box>
		</Box>
	);
}
