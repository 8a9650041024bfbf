// The Monitor tab's keys: what they run, what the bottom bar and the `?` help say.
import type {KeyEntry} from '../../input/keymap.js';

export type MonitorActions = {
	readonly paused: boolean;
	readonly add: () => void;
	readonly remove: () => void;
	readonly togglePause: () => void;
	/** +1 a longer interval, -1 a shorter one */
	readonly step: (direction: 1 | -1) => void;
	readonly refresh: () => void;
};

export function monitorKeymap(actions: MonitorActions): KeyEntry[] {
	return [
		{key: 'a', label: 'add', help: 'watch a key or pattern', run: actions.add},
		{key: 'x', label: 'remove', help: "remove this row's watch (a pattern's key: asks to remove the pattern)", run: actions.remove},
		{key: 'space', label: actions.paused ? 'resume' : 'pause', help: 'pause / resume', run: actions.togglePause},
		// = and _ are + and - without Shift
		{key: '+/-', keys: ['+', '=', '-', '_'], label: 'interval', help: 'interval up / down', run: p => actions.step(p.name === '+' || p.name === '=' ? 1 : -1)},
		{key: 'r', help: 'count now', run: actions.refresh},
	];
}
