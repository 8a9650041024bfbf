// The Logs tab's second header line: which source (of how many), what the view is doing (the bytes
// read for the first screen, following with its lines per second, paused with the lines below),
// and the filters on. Source names come from file names: sanitized.
import type {FollowEvent} from '../../../logs/follow.js';
import type {LevelFilter} from '../../../logs/level.js';
import type {LogSource} from '../../../logs/sources.js';
import {formatBytes, formatCount} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import type {LogViewState} from './use-log-view.js';

/** A rotation seen while following, in words (flashed). */
export function followText(event: FollowEvent): string {
	switch (event.kind) {
		case 'rotated':
			return event.how === 'renamed' ? 'rotated (renamed); following the new file' : 'deleted and created again; following the new file';
		case 'truncated':
			return event.recoveredFrom ? 'truncated (copy-truncate); the unread lines were taken from the copy' : 'truncated; lines written just before may be missing';
		case 'missing':
			return 'not there; waiting for it';
		case 'appeared':
			return 'appeared; following it';
		case 'error':
			return errorMessage(event.message);
	}
}

type Parts = {
	readonly source: LogSource | undefined;
	readonly index: number;
	readonly count: number;
	readonly view: LogViewState;
	readonly pos: {readonly held: boolean; readonly below: number; readonly first: number};
	readonly following: boolean;
	readonly typed: string;
	readonly only: boolean;
	readonly level: LevelFilter | undefined;
	readonly wrap: boolean;
	/** N searching the pages above for a match */
	readonly seeking?: boolean;
};

export function sourceLine({source, index, count, view, pos, following, typed, only, level, wrap, seeking}: Parts): Safe {
	if (!source) return sanitize('Logs');
	const {buffer} = view;
	const parts: string[] = [count > 1 ? `${source.name} (${Math.min(index, count - 1) + 1}/${count})` : source.name];
	if (view.error) parts.push(view.error);
	else if (following) {
		parts.push(pos.held ? `paused, ${formatCount(pos.below)} lines below (space resumes)` : `following ${formatCount(Math.round(view.perSecond))} lines/s`);
	} else if (buffer.size !== undefined && buffer.readFrom !== undefined) {
		// what of the file the pages cover (the same bytes read again for the page above count once)
		parts.push(`read ${formatBytes(Math.max(0, buffer.size - buffer.readFrom))} of ${formatBytes(buffer.size)}`);
	}
	if (typed) parts.push(`${only ? 'only' : 'marked'} ${typed.startsWith('/') ? typed : JSON.stringify(typed)}`);
	if (level) parts.push(level === 'error' ? 'errors only' : 'warnings and up');
	if (seeking) {
		// (not following, "read X of Y" above says how far it got)
		const read = following && buffer.size !== undefined && buffer.readFrom !== undefined ? `: ${formatBytes(Math.max(0, buffer.size - buffer.readFrom))} of ${formatBytes(buffer.size)} read` : '';
		parts.push(`searching older lines for a match${read} (Esc stops)`);
	} else if (view.loading === 'older') parts.push('reading further up…');
	else if (pos.first === 0 && buffer.trimmed) parts.push('older lines dropped while following (r, then PgUp)');
	else if (pos.first === 0 && !buffer.atStart && buffer.scannedFrom !== undefined && buffer.size) {
		parts.push(`searched the last ${formatBytes(buffer.size - buffer.scannedFrom)} (PgUp: further)`);
	}
	if (wrap) parts.push('wrap');
	return sanitize(parts.join(' · '));
}
