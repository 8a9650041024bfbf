// A line's level, from the formats apps write (checked in this order, the first that names one wins):
//   JSON            {"level":"error"}  {"level":50} (pino/bunyan numbers)  "severity", "lvl", "levelname", "log.level"
//   logfmt          level=error  lvl=warn  severity=ERROR  level="warning"
//   Python logging  ERROR:root:message (basicConfig)  ... - ERROR - message (the usual asctime format)
//   a level word    ERROR, [WARN], <FATAL>, E/W words in capitals: the first one in the line's first 160 characters
// Lower-case words in running text ("0 errors", "error rate") are not levels; in a field they are.
export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** what --level and the tab's `e`/`w` keep: that level and worse */
export type LevelFilter = 'error' | 'warn';

export const levelRank: Record<Level, number> = {trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5};

const names: Record<string, Level> = {
	fatal: 'fatal', panic: 'fatal', crit: 'fatal', critical: 'fatal', emerg: 'fatal', emergency: 'fatal', alert: 'fatal',
	error: 'error', err: 'error', eror: 'error', severe: 'error',
	warn: 'warn', warning: 'warn',
	info: 'info', information: 'info', notice: 'info',
	debug: 'debug', verbose: 'debug', fine: 'debug',
	trace: 'trace', finest: 'trace',
};

const jsonField = /"(?:level|lvl|severity|levelname|log\.level|loglevel)"\s*:\s*(?:"([A-Za-z]+)"|(\d+))/i;
const logfmtField = /(?:^|\s)(?:level|lvl|severity|loglevel)=("?)([A-Za-z]+)\1(?=\s|$)/i;
const pythonStart = /^(CRITICAL|ERROR|WARNING|INFO|DEBUG):/;
const pythonDash = / - (CRITICAL|ERROR|WARNING|INFO|DEBUG) - /;
const levelWord = /(?<![A-Za-z0-9_])(FATAL|PANIC|CRITICAL|CRIT|EMERG|ALERT|SEVERE|ERROR|ERR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE|VERBOSE)(?![A-Za-z0-9_])/;

function pinoLevel(n: number): Level {
	if (n >= 60) return 'fatal';
	if (n >= 50) return 'error';
	if (n >= 40) return 'warn';
	if (n >= 30) return 'info';
	if (n >= 20) return 'debug';
	return 'trace';
}

// colours (\x1b[31mERROR\x1b[0m) are not part of the word
const sgr = /\x1b\[[0-9;]*m/g;

/** The line's level, or undefined when it names none (a continuation line, a stack frame). */
export function lineLevel(raw: string): Level | undefined {
	const text = raw.includes('\x1b') ? raw.replace(sgr, '') : raw;
	if (text.includes('"')) {
		const json = jsonField.exec(text);
		if (json) {
			if (json[2] !== undefined) return pinoLevel(Number(json[2]));
			const level = names[json[1]!.toLowerCase()];
			if (level) return level;
		}
	}
	if (text.includes('=')) {
		const logfmt = logfmtField.exec(text);
		const level = logfmt ? names[logfmt[2]!.toLowerCase()] : undefined;
		if (level) return level;
	}
	const python = pythonStart.exec(text) ?? pythonDash.exec(text);
	if (python) return names[python[1]!.toLowerCase()];
	const word = levelWord.exec(text.length > 160 ? text.slice(0, 160) : text);
	return word ? names[word[1]!.toLowerCase()] : undefined;
}

/** Whether a line of level `level` passes `--level filter`. */
export function levelPasses(level: Level | undefined, filter: LevelFilter): boolean {
	return level !== undefined && levelRank[level] >= levelRank[filter];
}

/**
 * A cheap test every line of that level passes (and most others fail): the whole-file search runs
 * it over big chunks at once and checks lineLevel() only on the lines it finds.
 */
export function levelPrefilter(filter: LevelFilter): RegExp {
	const words = 'err|fatal|panic|crit|emerg|alert|severe' + (filter === 'warn' ? '|warn' : '');
	const numbers = filter === 'warn' ? '[4-9]\\d' : '[5-9]\\d';
	return new RegExp(`${words}|"(?:level|lvl|severity|levelname|log\\.level|loglevel)"\\s*:\\s*${numbers}`, 'i');
}

/** journald's PRIORITY (syslog: 0 emerg … 7 debug) as a level. */
export function priorityLevel(priority: number): Level {
	if (priority <= 2) return 'fatal';
	if (priority === 3) return 'error';
	if (priority === 4) return 'warn';
	if (priority <= 6) return 'info';
	return 'debug';
}
