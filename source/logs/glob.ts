// LOG_FILES globs, expanded when they are read (a log appears, a rotation adds app.log.1): `*` and
// `?` within a name (not a leading dot, as in a shell), `[abc]`/`[a-z]`/`[!a]`, and `**` for any
// number of folders. Node 20 has no fs.glob; this is the part of it opsdeck needs.
import fs from 'node:fs/promises';
import path from 'node:path';

const magic = /[*?[]/;

export const isGlob = (pattern: string) => magic.test(pattern);

/** One name segment as a RegExp. */
export function segmentRegex(segment: string): RegExp {
	let out = '';
	for (let i = 0; i < segment.length; i++) {
		const ch = segment[i]!;
		if (ch === '*') out += '[^/]*';
		else if (ch === '?') out += '[^/]';
		else if (ch === '[') {
			const close = segment.indexOf(']', i + 2);
			if (close === -1) out += '\\[';
			else {
				let body = segment.slice(i + 1, close);
				if (body.startsWith('!')) body = `^${body.slice(1)}`;
				out += `[${body.replace(/\\/g, '\\\\')}]`;
				i = close;
			}
		} else out += ch.replace(/[\\^$.+()|{}\]]/g, '\\$&');
	}
	return new RegExp(`^${out}$`);
}

async function entries(dir: string): Promise<Array<{name: string; dir: boolean; file: boolean}>> {
	try {
		const found = await fs.readdir(dir, {withFileTypes: true});
		const out = [];
		for (const entry of found) {
			// a symlink counts as what it points to
			const stat = entry.isSymbolicLink() ? await fs.stat(path.join(dir, entry.name)).catch(() => undefined) : entry;
			out.push({name: entry.name, dir: stat?.isDirectory() ?? false, file: stat?.isFile() ?? false});
		}
		return out;
	} catch {
		return [];
	}
}

async function walk(dir: string, segments: readonly string[], found: Set<string>): Promise<void> {
	if (segments.length === 0) return;
	const [segment, ...rest] = segments as [string, ...string[]];
	if (segment === '**') {
		// zero folders, or one more and still inside the **
		await walk(dir, rest, found);
		for (const entry of await entries(dir)) if (entry.dir && !entry.name.startsWith('.')) await walk(path.join(dir, entry.name), segments, found);
		return;
	}
	if (!isGlob(segment)) {
		const next = path.join(dir, segment);
		if (rest.length > 0) return walk(next, rest, found);
		const stat = await fs.stat(next).catch(() => undefined);
		if (stat?.isFile()) found.add(next);
		return;
	}
	const regex = segmentRegex(segment);
	for (const entry of await entries(dir)) {
		if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
		if (!regex.test(entry.name)) continue;
		if (rest.length > 0) {
			if (entry.dir) await walk(path.join(dir, entry.name), rest, found);
		} else if (entry.file) {
			found.add(path.join(dir, entry.name));
		}
	}
}

/** The files an absolute pattern names now, sorted; a plain path is itself (even when missing). */
export async function expandGlob(pattern: string): Promise<string[]> {
	if (!isGlob(pattern)) return [pattern];
	const {root} = path.parse(pattern);
	const segments = pattern.slice(root.length).split(/[\\/]+/).filter(Boolean);
	const found = new Set<string>();
	await walk(root, segments, found);
	return [...found].sort();
}
