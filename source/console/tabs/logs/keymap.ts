// The Logs tab's keys: what they run, what the bottom bar and the `?` help say. `e` is errors only
// here (the key); `S` restarts the app's process (APP_SERVICE) through the typed-word guard.
import type {KeyEntry} from '../../input/keymap.js';

export type LogsActions = {
	/** a source is shown */
	readonly source: boolean;
	/** more than one source: `[` `]` pick */
	readonly many: boolean;
	readonly following: boolean;
	/** following with the view held (space or a scroll up) */
	readonly held: boolean;
	/** a text or regex is set */
	readonly search: boolean;
	/** APP_SERVICE is set */
	readonly app: boolean;
	/** a restart's outcome is on show (Esc closes it) */
	readonly outcome: boolean;
	/** N is searching the pages above for a match (Esc stops it) */
	readonly seeking?: boolean;
	readonly stopSeek?: () => void;
	readonly pick: (step: 1 | -1) => void;
	readonly follow: () => void;
	readonly pause: () => void;
	readonly filter: () => void;
	readonly clearFilter: () => void;
	readonly toggleOnly: () => void;
	readonly level: (level: 'error' | 'warn') => void;
	readonly jump: (step: 1 | -1) => void;
	readonly wrap: () => void;
	readonly scroll: (how: 'up' | 'down' | 'pageup' | 'pagedown' | 'top' | 'end') => void;
	readonly restart: () => void;
	readonly closeOutcome: () => void;
	readonly reload: () => void;
};

export function logsKeymap(a: LogsActions): KeyEntry[] {
	const scroll = (how: Parameters<LogsActions['scroll']>[0]) => () => a.scroll(how);
	return [
		{key: 'Esc', label: 'stop searching', help: 'stop N searching the older lines for a match', when: a.seeking === true, run: () => a.stopSeek?.()},
		{key: 'Esc', label: 'close', help: 'close what a failed restart said', when: a.outcome && !a.seeking, run: a.closeOutcome},
		{key: 'f', label: a.following ? 'stop following' : 'follow', help: 'follow new lines (through rotations), or stop', when: a.source, run: a.follow},
		{key: 'space', label: a.held ? 'resume' : 'pause', help: 'pause the view while following (lines keep coming), or resume', when: a.following, run: a.pause},
		{key: '/', label: 'filter', help: 'filter: text (any case), or /regex/ with flags i s u', when: a.source, run: a.filter},
		{key: 'Esc', label: 'clear filter', help: 'clear the text filter', when: a.search && !a.outcome && !a.seeking, run: a.clearFilter},
		{key: 'e', label: 'errors', help: 'errors only (again: every level)', when: a.source, run: () => a.level('error')},
		{key: 'w', label: 'warnings', help: 'warnings and errors only (again: every level)', when: a.source, run: () => a.level('warn')},
		{key: 'n N', label: 'match', help: 'next (newer) / previous (older) match', when: a.search, run: p => a.jump(p.name === 'n' ? 1 : -1)},
		{key: 'a', label: 'all/matches', help: 'show every line with the matches marked, or only the lines that match', when: a.search, run: a.toggleOnly},
		{key: '[ ]', label: 'source', help: 'previous / next log source', when: a.many, run: p => a.pick(p.name === '[' ? -1 : 1)},
		{key: 'W', label: 'wrap', help: 'wrap long lines, or cut them at the edge', when: a.source, run: a.wrap},
		{key: 'S', label: 'restart app', help: "restart the app's process (type restart)", when: a.app, mutates: true, run: a.restart},
		{key: 'j k', keys: ['j', 'down', 'k', 'up'], help: 'scroll a line (also ↑ ↓)', when: a.source, run: p => a.scroll(p.name === 'j' || p.name === 'down' ? 'down' : 'up')},
		{key: 'PgUp PgDn', help: 'a page up (older lines are read as you go) / down', when: a.source, run: p => a.scroll(p.name === 'pageup' ? 'pageup' : 'pagedown')},
		{key: 'g', keys: ['g', 'home'], help: 'the oldest line read (reads a page more)', when: a.source, run: scroll('top')},
		{key: 'G', keys: ['G', 'end'], help: 'the newest line (following: resume)', when: a.source, run: scroll('end')},
		{key: 'r', label: 'reload', help: 'read the sources and the end of the log again', run: a.reload},
	];
}
