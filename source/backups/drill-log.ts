// The drill log: one JSON line per restore drill (time, backup, duration, findings), `drills.jsonl`
// in the backup folder beside the backups it speaks of, so `status`, `serve` and the console of
// any user who reads the folder see the last drill. Appended; read from its end.
import fs from 'node:fs';
import path from 'node:path';
import type {DrillRecord} from './files.js';

export const drillLogName = 'drills.jsonl';

export function drillLogPath(backupDir: string): string {
	return path.join(backupDir, drillLogName);
}

export async function appendDrillLog(backupDir: string, record: DrillRecord): Promise<void> {
	await fs.promises.appendFile(drillLogPath(backupDir), JSON.stringify(record) + '\n', {mode: 0o600});
}

function isRecord(value: unknown): value is DrillRecord {
	const r = value as DrillRecord;
	return Boolean(r) && typeof r === 'object' && typeof r.at === 'string' && Number.isFinite(Date.parse(r.at)) && typeof r.ok === 'boolean' && typeof r.backup === 'string' && Array.isArray(r.findings);
}

/** how much of the log's end is read for the last drill */
const tailBytes = 64 * 1024;

/** The newest drill in the log (undefined: none yet, or no log); a line that is not a drill is skipped. */
export async function lastDrill(backupDir: string): Promise<DrillRecord | undefined> {
	let handle: fs.promises.FileHandle;
	try {
		handle = await fs.promises.open(drillLogPath(backupDir), 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		const {size} = await handle.stat();
		const start = Math.max(0, size - tailBytes);
		const buffer = Buffer.alloc(size - start);
		await handle.read(buffer, 0, buffer.length, start);
		const lines = buffer.toString('utf8').split('\n').filter(Boolean);
		for (let i = lines.length - 1; i >= 0; i--) {
			try {
				const parsed: unknown = JSON.parse(lines[i]!);
				if (isRecord(parsed)) return {...parsed, findings: parsed.findings.map(String), durationMs: Number(parsed.durationMs) || 0};
			} catch {
				// a torn line (a drill killed while writing it): the one before
			}
		}
		return undefined;
	} finally {
		await handle.close();
	}
}
