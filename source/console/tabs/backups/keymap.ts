// The Backups tab's keys: what they run, what the bottom bar and the `?` help say.
import type {KeyEntry} from '../../input/keymap.js';

export type BackupsActions = {
	/** a backup row is selected (restore, verify and delete act on it) */
	readonly selected: boolean;
	readonly create: () => void;
	readonly restore: () => void;
	readonly verify: () => void;
	readonly remove: () => void;
	readonly refresh: () => void;
};

export function backupsKeymap(actions: BackupsActions): KeyEntry[] {
	return [
		{key: 'n', label: 'new backup', help: 'take a backup now (consistent, while the app writes)', run: actions.create},
		{key: 'Enter', label: 'restore', mutates: true, help: 'restore the selected backup (shows the plan; type restore)', when: actions.selected, run: actions.restore},
		{key: 'v', label: 'verify', help: 'verify: quick_check and sha256', when: actions.selected, run: actions.verify},
		{key: 'x', label: 'delete', mutates: true, help: 'delete the selected backup (type delete)', when: actions.selected, run: actions.remove},
		{key: 'r', label: 'refresh', help: 'refresh', run: actions.refresh},
	];
}
