import path from 'node:path';
import {defineConfig} from 'vitest/config';
import {BaseSequencer, type TestSpecification} from 'vitest/node';
import {sourceWorkerForVitest} from './scripts/backup-worker.mjs';

// The files that run longest (seconds at three files at a time on 2 cores), started first. A clean
// clone (CI) has no timings from an earlier run, and vitest then starts the biggest files first: a
// short file that runs long (e2e/screens: 74 lines, 75 s) came last, alone, while the other workers
// had nothing left. Longest first leaves short files to fill in at the end.
const longFirst = [
	'test/commands/backup-trust.test.ts',
	'test/reliability/mutation-guard.test.ts',
	'test/backups/remote/offsite-s3.test.ts',
	'test/commands/app.test.ts',
	'test/commands/chat.test.ts',
	'test/e2e/screens.test.ts',
	'test/reliability/hostile-text.test.ts',
	'test/reliability/scan-faults.test.ts',
	'test/commands/drill.test.ts',
	'test/reliability/secret-forms.test.ts',
	'test/commands/logs.test.ts',
	'test/commands/keys.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const rank = (file: TestSpecification) => {
			const at = longFirst.indexOf(path.relative(file.project.config.root, file.moduleId).split(path.sep).join('/'));
			return at === -1 ? longFirst.length : at;
		};
		// stable: the rest keep vitest's order (its timings when it has them, else the biggest first)
		return sorted.map((file, at) => ({file, at, rank: rank(file)})).sort((a, b) => a.rank - b.rank || a.at - b.at).map(({file}) => file);
	}
}

export default defineConfig({
	// the backup worker is a module of its own: run from the sources, it is built from them
	plugins: [sourceWorkerForVitest()],
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: ['test/bench/**', 'node_modules/**'],
		pool: 'forks',
		// three files at a time: most tests wait on child processes and servers, not the CPU (vitest's
		// default on 2 cores is one: ~600 s in a row, ~350 s two at a time, green both ways)
		maxWorkers: 3,
		minWorkers: 1,
		sequence: {sequencer: LongFirstSequencer},
		testTimeout: 30_000,
		hookTimeout: 60_000,
		teardownTimeout: 15_000,
		env: {NODE_ENV: 'test'},
	},
});
