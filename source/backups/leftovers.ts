// What killed operations left behind (issue 13, case 10): a backup's hidden `.NAME.partial` (and its
// -wal/-shm/-journal) in the backup folder, a restore's `.LIVE.restore-PID.tmp` beside the data file.
// `backup list` shows them with their sizes, `backup prune` removes them. A partial that a running
// operation is still writing (open in a process, or written in the last minute; a restore temp whose
// process lives) is "in progress" and left alone. A safety backup's partial may be the only copy of
// the state before a restore: it is listed as such (and removed only by an explicit prune).
import fs from 'node:fs';
import path from 'node:path';
import {findHolders} from './db-holders.js';
import {restoreTempPattern} from './names.js';
import {pidAlive} from '../system/pid-alive.js';

export type Leftover = {
	readonly name: string;
	readonly path: string;
	readonly what: 'backup partial' | 'safety partial' | 'restore temp' | 'drill scratch';
	readonly sizeBytes: number;
	readonly modifiedAt: number;
	/** a running operation is still writing it */
	readonly inProgress: boolean;
};

/** a partial changed this recently may belong to a backup that is running right now */
const busyMs = 60_000;

async function entry(dir: string, name: string, what: Leftover['what'], inProgress: (file: string, stat: fs.Stats) => Promise<boolean>): Promise<Leftover | undefined> {
	const file = path.join(dir, name);
	const stat = await fs.promises.lstat(file).catch(() => undefined);
	if (!stat?.isFile()) return undefined;
	return {name, path: file, what, sizeBytes: stat.size, modifiedAt: stat.mtimeMs, inProgress: await inProgress(file, stat)};
}

/** Leftovers in the backup folder and beside the data file, oldest first. */
export async function listLeftovers(config: {readonly backupDir: string; readonly sqlitePath: string}, now = Date.now()): Promise<Leftover[]> {
	const found: Leftover[] = [];
	const partialBusy = async (file: string, stat: fs.Stats) => now - stat.mtimeMs < busyMs || (await findHolders(file)).length > 0;
	for (const name of await fs.promises.readdir(config.backupDir).catch(() => [] as string[])) {
		if (!/^\..+\.partial(-wal|-shm|-journal)?$/.test(name)) continue;
		const what = name.startsWith('.safety_') ? 'safety partial' : name.startsWith('.drill_') ? 'drill scratch' : 'backup partial';
		const item = await entry(config.backupDir, name, what, partialBusy);
		if (item) found.push(item);
	}
	let live: string;
	try {
		live = fs.realpathSync(config.sqlitePath);
	} catch {
		live = path.resolve(config.sqlitePath);
	}
	const pattern = restoreTempPattern(live);
	for (const name of await fs.promises.readdir(path.dirname(live)).catch(() => [] as string[])) {
		const m = pattern.exec(name);
		if (!m) continue;
		const item = await entry(path.dirname(live), name, 'restore temp', async () => pidAlive(Number(m[1])));
		if (item) found.push(item);
	}
	return found.sort((a, b) => a.modifiedAt - b.modifiedAt);
}

/**
 * What `backup prune` may remove: nothing still being written, and never a safety partial — it may
 * be the only copy of the state before an interrupted restore, and prune runs from cron with --yes
 * (issue 13, case 9): it stays listed for the operator to look at and remove by hand.
 */
export function prunable(leftover: Leftover): boolean {
	return !leftover.inProgress && leftover.what !== 'safety partial';
}
