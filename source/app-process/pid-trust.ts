// A pid from a pid file (or a port's listener) is a claim, not a fact: a file holding `1` made
// `app status` say "up pid 1" and `app restart` SIGTERM init. Never signalled: pid 1, opsdeck itself
// and the processes it runs under. A pid file's pid whose process belongs to another user than the
// file is not the app's either (a stale or planted file): status says so and restart refuses.
import fs from 'node:fs/promises';
import {readProc} from './proc.js';

/** The user's name from /etc/passwd, or `uid N`. */
async function userName(uid: number): Promise<string> {
	const passwd = await fs.readFile('/etc/passwd', 'utf8').catch(() => '');
	const name = passwd.split('\n').map(line => line.split(':')).find(f => f[2] === String(uid))?.[0];
	return name ? `${name} (uid ${uid})` : `uid ${uid}`;
}

/** The real uid of the process (/proc/PID/status), or undefined when it cannot be read. */
async function processUid(pid: number): Promise<number | undefined> {
	const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
	return uid === undefined ? undefined : Number(uid);
}

/** opsdeck's own pid and those of every process it runs under (its shell, its terminal, init). */
async function selfAndAncestors(): Promise<Set<number>> {
	const pids = new Set<number>([process.pid]);
	let pid = process.ppid;
	while (pid > 0 && !pids.has(pid)) {
		pids.add(pid);
		pid = (await readProc(pid))?.ppid ?? 0;
	}
	return pids;
}

/**
 * Why this pid must not be taken for the app's (nor signalled): a short phrase for
 * "pid N … is not the app's (PHRASE)", or undefined when nothing speaks against it. With pidFile,
 * the process's owner must be the file's owner.
 */
export async function notTheApps(pid: number, pidFile?: string): Promise<string | undefined> {
	if (pid <= 1) return 'pid 1 is init';
	if ((await selfAndAncestors()).has(pid)) return pid === process.pid ? 'it is opsdeck itself' : 'it is a process opsdeck runs under';
	if (pidFile === undefined) return undefined;
	const [owner, fileStat] = await Promise.all([processUid(pid), fs.stat(pidFile).catch(() => undefined)]);
	if (owner === undefined || fileStat === undefined || owner === fileStat.uid) return undefined;
	const [processUser, fileUser] = await Promise.all([userName(owner), userName(fileStat.uid)]);
	return `owned by ${processUser}, while the pid file is owned by ${fileUser}`;
}
