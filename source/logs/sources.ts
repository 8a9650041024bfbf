// The app's logs as sources: a source per file LOG_FILES names (globs expanded each time they are
// read, so a log that appears later is there), and the journal of LOG_UNIT. A source's name is the
// file's base name (its path from the working directory when two share one) or journal:UNIT.
import path from 'node:path';
import type {Config} from '../config/config.js';
import {expandGlob, isGlob} from './glob.js';

export type LogSource =
	| {readonly kind: 'file'; readonly name: string; readonly path: string}
	| {readonly kind: 'journal'; readonly name: string; readonly unit: string};

export type SourceList = {
	readonly sources: readonly LogSource[];
	/** LOG_FILES globs that match no file right now */
	readonly unmatched: readonly string[];
};

export type SourceSettings = Pick<Config, 'logFiles' | 'logUnit'>;

export async function logSources(config: SourceSettings, cwd = process.cwd()): Promise<SourceList> {
	const files: string[] = [];
	const unmatched: string[] = [];
	for (const pattern of config.logFiles) {
		const found = await expandGlob(pattern);
		if (found.length === 0 && isGlob(pattern)) unmatched.push(pattern);
		for (const file of found) if (!files.includes(file)) files.push(file);
	}
	const base = (file: string) => path.basename(file);
	const sources: LogSource[] = files.map(file => {
		const shared = files.filter(other => base(other) === base(file)).length > 1;
		const relative = path.relative(cwd, file);
		return {kind: 'file', name: shared ? (relative.startsWith('..') ? file : relative) : base(file), path: file};
	});
	if (config.logUnit) sources.push({kind: 'journal', name: `journal:${config.logUnit}`, unit: config.logUnit});
	return {sources, unmatched};
}

/** The source `wanted` names: its name, its unit, or its file's path (from `cwd`, or absolute). */
export function findSource(sources: readonly LogSource[], wanted: string, cwd = process.cwd()): LogSource | undefined {
	const byName = sources.find(source => source.name === wanted);
	if (byName) return byName;
	const unit = sources.find(source => source.kind === 'journal' && (source.unit === wanted || source.unit === `${wanted}.service`));
	if (unit) return unit;
	const file = path.resolve(cwd, wanted);
	return sources.find(source => source.kind === 'file' && source.path === file);
}
