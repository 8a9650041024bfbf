// Which other processes hold the data file open (or its -wal / -shm): on Linux, every
// /proc/PID/fd link is compared with the files. Our own process is left out (the console opens the
// file briefly for its own checks). Where the answer cannot be known it says so (`unknown`): /proc
// cannot be read, or opsdeck is not root and the file belongs to another user, whose processes'
// fd folders it cannot read (an app writing as that user would be missed: issue 13, case 6).
import fs from 'node:fs';
import path from 'node:path';
import {userName} from '../system/file-owner.js';
import {fsReason} from '../text/fs-reason.js';

export type Holder = {readonly pid: number; readonly command: string | undefined};

export type HolderScan = {
	readonly holders: Holder[];
	/** why the holders cannot be known (then `holders` are only the ones seen) */
	readonly unknown: string | undefined;
};

function realOrSelf(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return path.resolve(file);
	}
}

export async function findHolders(file: string): Promise<Holder[]> {
	return (await scanHolders(file)).holders;
}

/** The holders seen, and whether that is all of them. `procRoot` is for tests (default /proc). */
export async function scanHolders(file: string, options: {readonly procRoot?: string} = {}): Promise<HolderScan> {
	const proc = options.procRoot ?? '/proc';
	const base = realOrSelf(file);
	const targets = new Set([base, `${base}-wal`, `${base}-shm`, `${base}-journal`]);
	let pids: string[];
	try {
		pids = (await fs.promises.readdir(proc)).filter(name => /^\d+$/.test(name) && Number(name) !== process.pid);
	} catch (error) {
		return {holders: [], unknown: `${proc} cannot be read (${fsReason(error) ?? 'error'}), so the processes that have it open cannot be seen`};
	}
	let unknown: string | undefined;
	const euid = process.geteuid?.();
	if (euid !== undefined && euid !== 0) {
		const owner = await fs.promises.stat(base).then(st => st.uid, () => undefined);
		if (owner !== undefined && owner !== euid) {
			unknown = `opsdeck runs as ${userName(euid)} (not root) and the file belongs to ${userName(owner)}, whose processes it cannot look into`;
		}
	}
	let unreadable = 0;
	const holders: Holder[] = [];
	await Promise.all(pids.map(async pid => {
		let fds: string[];
		try {
			fds = await fs.promises.readdir(`${proc}/${pid}/fd`);
		} catch (error) {
			// gone, or not ours to look at
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable++;
			return;
		}
		for (const fd of fds) {
			let link: string;
			try {
				link = await fs.promises.readlink(`${proc}/${pid}/fd/${fd}`);
			} catch {
				continue;
			}
			if (targets.has(link.replace(/ \(deleted\)$/, ''))) {
				let command: string | undefined;
				try {
					command = (await fs.promises.readFile(`${proc}/${pid}/comm`, 'utf8')).trim();
				} catch {
					command = undefined;
				}
				holders.push({pid: Number(pid), command});
				return;
			}
		}
	}));
	// not one other process could be looked into (a /proc mounted with hidepid, a sandbox): nothing is known
	if (!unknown && pids.length > 0 && unreadable === pids.length) unknown = `no process in ${proc} can be looked into, so the processes that have it open cannot be seen`;
	return {holders: holders.sort((a, b) => a.pid - b.pid), unknown};
}
