// Defect 9: an option of another command was parsed and ignored (`status --all`, `keys --yes`,
// `status --port 3`, `stats --plain` exited 0), so the operator believed it did something. Each
// command takes its own options (its help's list) and the global ones; anything else is one line,
// exit 2, before a backend is touched. Needs `npm run build`.
import {describe, expect, it} from 'vitest';
import {cliEnv, requireBuild, runCli, tempWorkdir} from '../helpers/health-env.js';

describe('an option of another command', () => {
	it.each([
		[['status', '--all'], 'opsdeck: status does not take --all; see opsdeck status --help'],
		[['keys', '--yes'], 'opsdeck: keys does not take --yes; see opsdeck keys --help'],
		[['keys', '-y'], 'opsdeck: keys does not take -y; see opsdeck keys --help'],
		[['status', '--plain'], 'opsdeck: status does not take --plain; see opsdeck status --help'],
		[['status', '--port', '3'], 'opsdeck: status does not take --port; see opsdeck status --help'],
		[['stats', '--plain'], 'opsdeck: stats does not take --plain; see opsdeck stats --help'],
	])('%j is refused, exit 2', async (args, line) => {
		requireBuild();
		const work = tempWorkdir('opsdeck-foreign-');
		try {
			// a Redis nobody listens on: the refusal comes before any backend
			const run = await runCli(args, {env: cliEnv({REDIS_URL: 'redis://127.0.0.1:1/0', SQLITE_PATH: work.sqlite, BACKUP_DIR: work.backups}), cwd: work.dir});
			expect(run.stderr.trim()).toBe(line);
			expect(run.stdout).toBe('');
			expect(run.code).toBe(2);
		} finally {
			work.cleanup();
		}
	});
});
