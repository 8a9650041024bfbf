// Who owns a file, said the way an operator reads it: `nobody:nogroup (65534:65534), mode 0664`.
// Names come from /etc/passwd and /etc/group (no native lookup in Node); a number stands alone
// when there is no name.
import fs from 'node:fs';
import path from 'node:path';

function lookup(file: string, id: number): string | undefined {
	try {
		for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
			const fields = line.split(':');
			if (fields.length > 2 && Number(fields[2]) === id && fields[0]) return fields[0];
		}
	} catch {
		// no such file: the number alone
	}
	return undefined;
}

export function userName(uid: number): string {
	return lookup('/etc/passwd', uid) ?? String(uid);
}

export function groupName(gid: number): string {
	return lookup('/etc/group', gid) ?? String(gid);
}

export function modeText(mode: number): string {
	return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** `nobody:nogroup (65534:65534), mode 0664` */
export function ownerText(stat: Pick<fs.Stats, 'uid' | 'gid' | 'mode'>): string {
	return `${userName(stat.uid)}:${groupName(stat.gid)} (${stat.uid}:${stat.gid}), mode ${modeText(stat.mode)}`;
}

/** The user this process runs as, e.g. `nobody (65534)`; undefined where there are no uids. */
export function selfText(): string | undefined {
	const uid = process.geteuid?.();
	return uid === undefined ? undefined : `${userName(uid)} (${uid})`;
}

/**
 * Why `file` is refused to this process, said with who owns what: `permission denied (owner
 * root:root (0:0), mode 0600; opsdeck runs as nobody (65534))`. When the file itself cannot be
 * looked at, the folder in the way is named instead.
 */
export function deniedText(file: string): string {
	const self = selfText();
	const runs = self ? `; opsdeck runs as ${self}` : '';
	try {
		return `permission denied (owner ${ownerText(fs.statSync(file))}${runs})`;
	} catch {
		// the folder it is in cannot be entered: name the nearest one that can be looked at
		for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
			try {
				return `permission denied (the folder ${dir} is ${ownerText(fs.statSync(dir))}${runs})`;
			} catch {
				if (path.dirname(dir) === dir) return `permission denied${self ? ` (opsdeck runs as ${self})` : ''}`;
			}
		}
	}
}
