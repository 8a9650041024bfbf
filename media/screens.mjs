// Every tab and dialog of the console, visited as an operator would on the demo, at one terminal
// size. `npm run media` (render.mjs) draws each screen into media/panes/; test/e2e/screens.test.ts
// drives the very same visit and checks each screen fits its pane (issue 16, point 3).
import stringWidth from 'string-width';

/** The pane sizes every screen is drawn and checked at: a small tmux pane and a classic terminal. */
export const paneSizes = [{cols: 40, rows: 10}, {cols: 80, rows: 24}];

const enter = '\r';
const escape = '\x1b';
const pageDown = '\x1b[6~';
const ctrlU = '\x15';
const text = lines => lines.join('\n');
const bar = lines => lines.filter(l => l.trim()).at(-1) ?? '';
/** a backup's date and time as every width writes it: 2026-11-30 09:15:38 or 11-30 09:15:38 */
export const backupTime = /\b\d\d-\d\d \d\d:\d\d:\d\d\b/;
const backupRows = lines => lines.filter(l => /^\S*(manual|auto|safety)_\S*/.test(l) && backupTime.test(l));

/**
 * What is wrong with a screen for a cols×rows pane: a line wider than the pane (in cells, as
 * string-width counts them), a row the terminal wrapped (something was drawn wider than the pane),
 * a frame on the last row (Ink keeps the root at rows - 1) or a tab bar pushed off the top.
 */
export function paneProblems(lines, wrapped, {cols, rows}) {
	const problems = [];
	lines.forEach((line, i) => {
		if (stringWidth(line) > cols) problems.push(`row ${i + 1} is ${stringWidth(line)} cells wide (pane ${cols})`);
	});
	for (const row of wrapped) problems.push(`row ${row + 1} continues a line the terminal wrapped: it was wider than ${cols}`);
	if (lines.length !== rows) problems.push(`${lines.length} rows on screen, not ${rows}`);
	if ((lines[rows - 1] ?? '').trim() !== '') problems.push(`the frame reaches the last row (${rows}): at most ${rows - 1} lines`);
	if (!/\b1\b/.test(lines[0] ?? '')) problems.push('the tab bar is not on the first row');
	return problems;
}

/**
 * Visits every screen. `screen`: type(...keys) presses keys one read at a time; waitFor(check, what)
 * polls lines() until check(lines) holds; lines() is the screen now. `shot(name, title, lines)` is
 * called on each screen once it shows what it is for. The console is on its first tab.
 */
export async function visitScreens(screen, {cols, rows, shot}) {
	const size = `${cols}x${rows}`;
	const waitText = (pattern, what) => screen.waitFor(ls => pattern.test(text(ls)), what ?? String(pattern));
	// each screen with its keys in the bar, not the result of what was done before (5 s)
	const take = async (name, title) => {
		await screen.waitFor(ls => /\? help|Enter confirm|Esc close help/.test(bar(ls)), `the keys of ${name} in the bar`);
		await shot(name, `opsdeck ${size} — ${title}`, screen.lines());
	};
	const scan = async pattern => {
		await screen.type('/');
		await waitText(/pattern:/);
		// a key typed the instant the field shows can still reach the list: the field's moment first
		await screen.pause(500);
		await screen.type(ctrlU, pattern, enter);
		await screen.waitFor(ls => {
			const keyRows = ls.filter(l => l.startsWith('chat:'));
			// the new scan done, its rows listed with the details (type) of those on screen
			// a narrow pane cuts the pattern in its middle (the row range keeps its place): the rows' type tells the scans apart
			const named = text(ls).includes(pattern) || cols < 60;
			// done: the state, or the row range the Keys header shows only once a scan is done (it may cut the state)
			const finished = /· done|· rows [\d,]+–/.test(text(ls));
			return named && finished && keyRows.length >= 2 && keyRows.every(l => / (zset|hash) /.test(`${l} `));
		}, `the keys of ${pattern}`);
	};

	await waitText(/HEALTHY|DEGRADED|UNHEALTHY/, 'the verdict');
	await waitText(/\bredis\b.*\bup\b|Redis +up/, 'Redis up');
	await take('status', 'Status');

	await screen.type('F');
	await waitText(/Type flush and press Enter/);
	await take('flush', 'Status: flush (typed confirmation)');
	await screen.type(escape);
	await screen.waitFor(ls => !/Type flush/.test(text(ls)), 'the flush dialog closed');

	await screen.type('2');
	await waitText(/· done/, 'the first scan');
	await scan('chat:*:reactions:*');
	await take('keys', 'Keys: the reaction keys of each chat');

	await screen.type('x');
	await waitText(/Type delete and press Enter/);
	await take('delete-key', 'Keys: delete a key (typed confirmation)');
	await screen.type(escape);
	await screen.waitFor(ls => !/Type delete/.test(text(ls)), 'the delete dialog closed');

	await scan('chat:*:messages');
	await screen.type(enter);
	await screen.waitFor(ls => /^chat \S+/m.test(text(ls)) && /\d\d:\d\d:\d\d\S* +\S+.*: /.test(text(ls)), 'a chat with its messages');
	await take('chat', 'Keys: a chat');
	await screen.type('c');
	await waitText(/in sync|OUT OF SYNC/, 'the comparison');
	await take('compare', 'Keys: a chat compared with PostgreSQL');
	await screen.type(escape, 'v');
	await screen.waitFor(ls => /^zset +ttl /m.test(text(ls)), 'the raw value');
	await take('value', 'Keys: a value');
	await screen.type(escape, escape);
	await screen.waitFor(ls => /Enter open/.test(bar(ls)) || /^key +/m.test(text(ls)), 'back at the list');

	await screen.type('?');
	await waitText(/closes this help/);
	await take('help', 'Keys: the ? help');
	await screen.type(escape);
	await screen.waitFor(ls => !/closes this help/.test(text(ls)), 'the help closed');

	await screen.type('3');
	await waitText(/^total \(\d+ keys\) +[1-9]/m, 'the Monitor counting');
	await take('monitor', 'Monitor');

	await screen.type('4');
	await screen.waitFor(ls => backupRows(ls).length >= 1, 'the demo backup');
	await screen.type('n');
	// the row shows (and is verified) before the job ends: its result in the bar is the end
	await screen.waitFor(ls => /created (manual|auto)_/.test(bar(ls)), 'the new backup\'s result');
	await screen.waitFor(ls => backupRows(ls).length >= 2 && / ok\s*$/.test(backupRows(ls)[0]) && /new backup/.test(bar(ls)), 'the new backup, verified');
	await take('backups', 'Backups');

	await screen.type('g', enter);
	await waitText(/Type restore and press Enter/);
	await take('restore', 'Backups: restore (plan, typed confirmation)');
	// a small pane scrolls the plan into view (PgDn: the letters type the word)
	let pages = 0;
	for (; pages < 10 && !/rows now -> /.test(text(screen.lines())); pages++) await screen.type(pageDown);
	await waitText(/rows now -> /, 'the plan, scrolled to');
	if (pages > 0) await take('restore-plan', 'Backups: restore, the plan scrolled into view (PgDn)');
	await screen.type(escape);
	await screen.waitFor(ls => !/Type restore/.test(text(ls)), 'the restore dialog closed');

	await screen.type('x');
	await waitText(/Type delete and press Enter/);
	await take('delete-backup', 'Backups: delete a backup (typed confirmation)');
	await screen.type(escape);
	await screen.waitFor(ls => !/Type delete/.test(text(ls)), 'the delete dialog closed');

	// the Redis tab, by Tab from Backups (its number is not fixed while tabs are being added): the
	// one that shows the server's figures (given 2 s to show them after each Tab)
	const redisFigures = /used, peak|reading INFO/;
	for (let i = 0; i < 6 && !redisFigures.test(text(screen.lines())); i++) {
		await screen.type('\t');
		for (let wait = 0; wait < 20 && !redisFigures.test(text(screen.lines())); wait++) await screen.pause(100);
	}
	await waitText(/used, peak/, 'the Redis figures');
	await take('redis', 'Redis: memory and INFO figures');
	await screen.type('p');
	await waitText(/scanned [\d,]+\/[\d,]+ keys/, 'the memory scan done');
	await take('redis-memory', 'Redis: memory by prefix, the biggest keys');

	// the Logs tab, the next one: the app's log (npm run media sets LOG_FILES), or what to set
	await screen.type(escape, '\t');
	await waitText(/No log sources|matches no file|· read [\d.]+ \w+ of/, 'the Logs tab');
	await take('logs', 'Logs: the newest lines of the app\'s log');
}
