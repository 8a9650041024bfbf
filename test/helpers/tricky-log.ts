// A log of every kind of line that grep -c and opsdeck must count alike (logs --count, issue 18's
// P9b): lines over 64 KB (most of its bytes), CRLF lines, invalid UTF-8 beside non-ASCII text, empty
// lines, parts of `status=5` before the whole, and a last line without its newline; `status=NNN` in
// each, 5xx in about two in five.
import {execFileSync} from 'node:child_process';

/** `lines` lines (and the last one), the same every time. */
export function trickyLog(lines: number): Buffer {
	const parts: Buffer[] = [];
	let seed = 7;
	const random = (n: number) => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return Math.floor(seed / 65_536) % n;
	};
	for (let i = 0; i < lines; i++) {
		const status = `status=${[200, 404, 500, 503, 599][random(5)]}`;
		switch (random(8)) {
			case 0:
				parts.push(Buffer.from(`${'x'.repeat(70_000 + random(1000))} ${status}\n`));
				break;
			case 1:
				parts.push(Buffer.from(`2024-05-01 CRLF ${status} ms=${random(99)}\r\n`));
				break;
			case 2:
				parts.push(Buffer.concat([Buffer.from('bad bytes \xff\xfe ', 'latin1'), Buffer.from(`${status} Zoë 日本\n`)]));
				break;
			case 3:
				parts.push(Buffer.from('\n'));
				break;
			case 4:
				// parts of `status=5` before the whole (the search looks for a part first)
				parts.push(Buffer.from(`campus=50 tatus=5 us=5x ERRO ${status} ERROR\n`));
				break;
			default:
				parts.push(Buffer.from(`2024-05-01T10:00:00Z INFO http GET /x ${status} ms=${random(999)}\n`));
		}
	}
	// the last line without its newline, and a match
	parts.push(Buffer.from('last line status=500 without its newline'));
	return Buffer.concat(parts);
}

/** grep -c ARGS FILE in a UTF-8 locale (0 when nothing matched). */
export function grepCount(args: readonly string[], file: string): number {
	try {
		return Number(execFileSync('grep', ['-c', ...args, file], {encoding: 'utf8', env: {...process.env, LC_ALL: 'C.UTF-8'}}).trim());
	} catch (error) {
		// grep exits 1 when nothing matched
		if ((error as {status?: number}).status === 1) return 0;
		throw error;
	}
}
