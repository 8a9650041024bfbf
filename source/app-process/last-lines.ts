// The app's last log lines, for a restart that failed: PM2's error and output logs for a pm2:
// service, the unit's journal for systemd: (LOG_UNIT, else the unit itself), else the first of
// LOG_FILES. Raw text: the presenter sanitizes it. Never throws (a log that cannot be read gives
// nothing: the restart's own error is what matters).
import type {Config} from '../config/config.js';
import {SourceReader} from '../logs/reader.js';
import {logSources, type LogSource} from '../logs/sources.js';
import type {AppService} from './service.js';
import type {AppProcessStatus} from './status.js';

export async function lastLogLines(config: Pick<Config, 'logFiles' | 'logUnit'>, service: AppService, status: AppProcessStatus, count = 10): Promise<string[]> {
	const candidates: LogSource[] = status.logFiles.map(file => ({kind: 'file', name: file, path: file}));
	if (service.kind === 'systemd') candidates.push({kind: 'journal', name: service.unit, unit: config.logUnit ?? service.unit});
	try {
		candidates.push(...(await logSources(config)).sources);
	} catch {
		// no configured sources: the ones above
	}
	for (const source of candidates) {
		const reader = new SourceReader(source);
		try {
			const page = await reader.last(count);
			if (page.lines.length > 0) return page.lines.map(line => line.text);
		} catch {
			// not there, or not readable: the next one
		} finally {
			await reader.close();
		}
	}
	return [];
}
