// The Monitor's watch list is state, not configuration: `a` and `x` save it to a state file of
// opsdeck's own ($XDG_STATE_HOME/opsdeck/watches.json), never into the config file the operator
// writes — rewriting that lost every other setting of an unparsable file and replaced a symlinked
// one with a regular file (issue 13, case 12). One state file serves every config file: the list is
// kept under the config file's absolute path, so two apps on one box keep their own watches.
// Written atomically (a temp file in the same folder, then rename), mode 0600; a symlink in its
// place is never followed (read: ignored; write: replaced by the file itself).
import fs from 'node:fs';
import path from 'node:path';
import {ensureDirSync} from '../system/ensure-dir.js';

type WatchState = {
	readonly version: 1;
	readonly configs: Record<string, {readonly watches: readonly string[]; readonly savedAt: string}>;
};

const isWatchList = (value: unknown): value is string[] => Array.isArray(value) && value.every(item => typeof item === 'string' && item !== '');

/** The state file's content, or an empty state when it is absent, unreadable, a symlink or not ours. */
function readState(file: string): WatchState {
	let text: string;
	try {
		// O_NOFOLLOW: a symlink here (pointing anywhere) is not read
		const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
		try {
			text = fs.readFileSync(fd, 'utf8');
		} finally {
			fs.closeSync(fd);
		}
		const parsed = JSON.parse(text) as Partial<WatchState> | null;
		if (parsed && typeof parsed === 'object' && parsed.version === 1 && parsed.configs && typeof parsed.configs === 'object' && !Array.isArray(parsed.configs)) {
			return {version: 1, configs: {...parsed.configs}};
		}
	} catch {
		// absent, unreadable or not JSON: the config file's watches apply, and the next save rewrites it
	}
	return {version: 1, configs: {}};
}

/** The watches saved for this config file, or undefined when none were saved (then the config file's apply). */
export function savedWatches(stateFile: string, configFile: string): string[] | undefined {
	const {configs} = readState(stateFile);
	const entry = Object.hasOwn(configs, configFile) ? configs[configFile] : undefined;
	return entry && isWatchList(entry.watches) ? [...entry.watches] : undefined;
}

/** Saves this config file's watch list to the state file: temp file + rename, mode 0600. */
export function saveWatches(stateFile: string, configFile: string, watches: readonly string[]): void {
	const folder = path.dirname(stateFile);
	// the nearest existing parent checked first (Node's recursive mkdir spins for ever under /proc)
	ensureDirSync(folder, 0o700);
	const state = readState(stateFile);
	const next: WatchState = {version: 1, configs: {...state.configs, [configFile]: {watches: [...watches], savedAt: new Date().toISOString()}}};
	const temp = path.join(folder, `.${path.basename(stateFile)}.${process.pid}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`);
	// O_EXCL | O_NOFOLLOW: the temp file is a new regular file of ours, never something planted there
	const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
	try {
		try {
			fs.fchmodSync(fd, 0o600);
			fs.writeFileSync(fd, JSON.stringify(next, null, '\t') + '\n');
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		// rename replaces a symlink at stateFile itself; it never writes through it
		fs.renameSync(temp, stateFile);
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw error;
	}
}
