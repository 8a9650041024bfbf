import {defineConfig} from 'vitest/config';
import {sourceWorkerForVitest} from './scripts/backup-worker.mjs';

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
		testTimeout: 30_000,
		hookTimeout: 60_000,
		teardownTimeout: 15_000,
		env: {NODE_ENV: 'test'},
	},
});
