import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: ['test/bench/**', 'node_modules/**'],
		pool: 'forks',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		teardownTimeout: 15_000,
		env: {NODE_ENV: 'test'},
	},
});
