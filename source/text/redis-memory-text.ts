// `opsdeck redis memory` as text and JSON: the prefix tree (bytes, share, keys per prefix, the
// largest `top` prefixes of each level), the biggest keys by memory and by elements, and the totals
// per type. Key names and prefixes through keyText; JSON names a key that is not UTF-8 by its shown
// form and its bytes in hex (jsonKey).
import type {BigKey, MemoryReport} from '../redis-server/memory.js';
import type {PrefixView} from '../redis-server/prefix-tree.js';
import {keyText} from '../backends/redis/key-bytes.js';
import {formatBytes, formatCount, formatDuration, formatPercent} from './format.js';
import {jsonKey} from './redis-server-text.js';
import {sanitize} from './sanitize.js';

/** What a type's element count counts. */
export const elementUnit: Readonly<Record<string, string>> = {string: 'bytes', hash: 'fields', list: 'items', set: 'members', zset: 'members', stream: 'entries'};

const row = (label: string, bytes: number, share: number, keys: number) => `${formatBytes(bytes).padStart(9)}  ${formatPercent(share).padStart(6)}  ${formatCount(keys).padStart(11)}  ${label}`;

function treeLines(node: PrefixView, total: number, top: number, lines: string[]): void {
	const indent = '  '.repeat(node.depth);
	const shown = node.children.slice(0, top);
	for (const child of shown) {
		lines.push(row(`${indent}${keyText(child.prefix)}`, child.bytes, child.share, child.keys));
		treeLines(child, total, top, lines);
	}
	const hidden = node.children.slice(top);
	if (hidden.length > 0) {
		const bytes = hidden.reduce((n, c) => n + c.bytes, 0);
		const keys = hidden.reduce((n, c) => n + c.keys, 0);
		lines.push(row(`${indent}… ${formatCount(hidden.length)} more prefixes`, bytes, total > 0 ? bytes / total : 0, keys));
	}
	// only worth a line beside prefixes shown
	if (node.children.length === 0) return;
	if (node.unkept.keys > 0) lines.push(row(`${indent}(prefixes past the limit)`, node.unkept.bytes, total > 0 ? node.unkept.bytes / total : 0, node.unkept.keys));
	if (node.rest.keys > 0) lines.push(row(`${indent}(no further prefix)`, node.rest.bytes, total > 0 ? node.rest.bytes / total : 0, node.rest.keys));
}

const elementsText = (k: BigKey) => (k.elements === null ? '-' : `${formatCount(k.elements)} ${elementUnit[k.type] ?? 'elements'}`);

function keyLine(k: BigKey, first: string): string {
	return `  ${first.padStart(16)}  ${sanitize(k.type).padEnd(6)}  ${keyText(k.key)}`;
}

export function memoryText(report: MemoryReport, top: number): string {
	const p = report.progress;
	const head = [
		`${p.done ? 'scanned' : 'STOPPED after'} ${formatCount(p.scanned)} of ${formatCount(p.total)} keys on ${p.masters} master${p.masters === 1 ? '' : 's'} in ${formatDuration(report.durationMs)}` +
			`${report.pattern === '*' ? '' : ` (MATCH ${keyText(report.pattern)})`}: ${formatBytes(report.bytes)} in ${formatCount(report.keys)} keys, MEMORY USAGE SAMPLES ${report.samples}`,
		'',
		`${'BYTES'.padStart(9)}  ${'SHARE'.padStart(6)}  ${'KEYS'.padStart(11)}  PREFIX`,
		row('(all)', report.bytes, report.bytes > 0 ? 1 : 0, report.keys),
	];
	const lines = [...head];
	treeLines(report.tree, report.bytes, top, lines);
	lines.push('', 'biggest keys by memory');
	for (const k of report.biggestByMemory) lines.push(keyLine(k, formatBytes(k.bytes)));
	if (report.biggestByElements.length > 0) {
		lines.push('', 'biggest keys by elements');
		for (const k of report.biggestByElements) lines.push(keyLine(k, elementsText(k)));
	}
	lines.push('', 'by type');
	for (const t of report.types) {
		const biggest = t.biggest ? `, biggest ${keyText(t.biggest.key)} (${elementsText(t.biggest)})` : '';
		lines.push(`  ${sanitize(t.type).padEnd(6)}  ${formatCount(t.keys).padStart(11)} keys  ${formatBytes(t.bytes).padStart(9)}${biggest}`);
	}
	if (report.vanished > 0) lines.push('', `${formatCount(report.vanished)} keys went away between SCAN and MEMORY USAGE (not counted)`);
	return lines.join('\n');
}

function treeJson(node: PrefixView): unknown {
	return {...jsonKey('prefix', node.prefix), depth: node.depth, keys: node.keys, bytes: node.bytes, share: node.share, rest: node.rest, unkept: node.unkept, children: node.children.map(treeJson)};
}

const bigKeyJson = (k: BigKey) => ({...jsonKey('key', k.key), type: k.type, bytes: k.bytes, elements: k.elements});

/** What both scans' JSON starts with: how far the scan got and what it counted. */
function scanJson(report: MemoryReport) {
	const {progress: p} = report;
	return {complete: p.done, scanned: p.scanned, dbsize: p.total, masters: p.masters, keys: report.keys, vanished: report.vanished, durationMs: report.durationMs};
}

export function memoryJson(report: MemoryReport) {
	return {
		pattern: report.pattern,
		samples: report.samples,
		depth: report.depth,
		...scanJson(report),
		bytes: report.bytes,
		tree: treeJson(report.tree),
		biggestByMemory: report.biggestByMemory.map(bigKeyJson),
		biggestByElements: report.biggestByElements.map(bigKeyJson),
		types: report.types.map(t => ({type: t.type, keys: t.keys, bytes: t.bytes, elements: t.elements, biggest: t.biggest ? bigKeyJson(t.biggest) : null})),
	};
}

/** `opsdeck redis bigkeys`: per type the keys and the biggest one, then the biggest by elements. */
export function bigkeysText(report: MemoryReport, top: number): string {
	const p = report.progress;
	const lines = [
		`${p.done ? 'scanned' : 'STOPPED after'} ${formatCount(p.scanned)} of ${formatCount(p.total)} keys on ${p.masters} master${p.masters === 1 ? '' : 's'} in ${formatDuration(report.durationMs)}` +
			`${report.pattern === '*' ? '' : ` (MATCH ${keyText(report.pattern)})`}: ${formatCount(report.keys)} keys (TYPE and a count per key; for bytes: opsdeck redis memory)`,
		'',
		'by type',
	];
	for (const t of report.types) {
		const unit = elementUnit[t.type] ?? 'elements';
		const biggest = t.biggest ? `, biggest ${keyText(t.biggest.key)} (${elementsText(t.biggest)})` : '';
		lines.push(`  ${sanitize(t.type).padEnd(6)}  ${formatCount(t.keys).padStart(11)} keys  ${formatCount(t.elements).padStart(13)} ${unit}${biggest}`);
	}
	if (report.biggestByElements.length > 0) {
		lines.push('', `the ${formatCount(Math.min(top, report.biggestByElements.length))} biggest keys by elements`);
		for (const k of report.biggestByElements) lines.push(keyLine(k, elementsText(k)));
	}
	if (report.vanished > 0) lines.push('', `${formatCount(report.vanished)} keys went away between SCAN and TYPE (not counted)`);
	return lines.join('\n');
}

export function bigkeysJson(report: MemoryReport) {
	return {
		pattern: report.pattern,
		...scanJson(report),
		biggestByElements: report.biggestByElements.map(k => ({...jsonKey('key', k.key), type: k.type, elements: k.elements})),
		types: report.types.map(t => ({type: t.type, keys: t.keys, elements: t.elements, biggest: t.biggest ? {...jsonKey('key', t.biggest.key), elements: t.biggest.elements} : null})),
	};
}
