// Bundles the tsc build into one file (build/bundle/bin.js): start-up loads one module instead of
// hundreds (import('ink') alone is ~0.5 s of module loading unbundled). Native better-sqlite3
// stays external; react-devtools-core (an optional Ink dev dependency) is aliased to a stub.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
	entryPoints: [`${root}/build/bin.js`],
	outdir: `${root}/build/bundle`,
	// dynamic imports (store drivers, commands) become chunks loaded only when used
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	external: ['better-sqlite3', 'pg-native', 'cpu-features'],
	alias: {'react-devtools-core': `${root}/scripts/devtools-stub.mjs`},
	banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
});
