// Which other processes hold the data file open (or its -wal / -shm): on Linux, every
// /proc/PID/fd link is compared with the files. Our own process is left out (the console opens the
// file briefly for its own checks). Where /proc is missing the answer is "none seen".
import fs from 'node:fs';
import path from 'node:path';

export type Holder = {readonly pid: number; readonly command: string | undefined};

function realOrSelf(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return path.resolve(file);
	}
}

export async function findHolders(file: string): Promise<Holder[]> {
	const base = realOrSelf(file);
	const targets = new Set([base, `${base}-wal`, `${base}-shm`, `${base}-journal`]);
	let pids: string[];
	try {
		pids = (await fs.promises.readdir('/proc')).filter(name => /^\d+$/.test(name) && Number(name) !== process.pid);
	} catch {
		return [];
	}
	const holders: Holder[] = [];
	await Promise.all(pids.map(async pid => {
		let fds: string[];
		try {
			fds = await fs.promises.readdir(`/proc/${pid}/fd`);
		} catch {
			return; // gone, or not ours to look at
		}
		for (const fd of fds) {
			let link: string;
			try {
				link = await fs.promises.readlink(`/proc/${pid}/fd/${fd}`);
			} catch {
				continue;
			}
			if (targets.has(link.replace(/ \(deleted\)$/, ''))) {
				let command: string | undefined;
				try {
					command = (await fs.promises.readFile(`/proc/${pid}/comm`, 'utf8')).trim();
				} catch {
					command = undefined;
				}
				holders.push({pid: Number(pid), command});
				return;
			}
		}
	}));
	return holders.sort((a, b) => a.pid - b.pid);
}
