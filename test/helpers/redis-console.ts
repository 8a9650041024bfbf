// The built console on a private Redis alone in a pty (PostgreSQL unreachable, SQLite absent), and
// the Keys tab brought to a pattern's finished scan: the set-up of the end-to-end defect tests.
import path from 'node:path';
import {runPty, type PtyRun} from './pty.js';
import {binPath} from './run-cli.js';
import {sleep} from './wait.js';

export function startRedisConsole(redisUrl: string, cwd: string, cols = 80, rows = 24): PtyRun {
	const args = [binPath, '--redis-url', redisUrl, '--database-url', 'postgres://127.0.0.1:1/none', '--sqlite', path.join(cwd, 'none.db'), '--backup-dir', path.join(cwd, 'bk'), '--audit-log', path.join(cwd, 'audit.log')];
	return runPty(process.execPath, args, {cols, rows, cwd, env: {...process.env, XDG_STATE_HOME: path.join(cwd, 'state')}});
}

/** From the Status tab: the Keys tab, a new scan of `pattern`, until it is done. */
export async function keysTab(run: PtyRun, pattern: string): Promise<void> {
	await run.waitForText('Status');
	run.press('2');
	await run.waitForText('pattern');
	run.press('/');
	await sleep(200);
	run.press('\x15' + pattern + '\r');
	await run.waitForText(new RegExp(`pattern ${pattern.replace('*', '\\*')} .* done`));
}
