// Bundles the tsc build into build/bundle/bin.js (and chunks loaded on demand): start-up loads one
// module instead of hundreds (import('ink') alone is ~0.5 s of module loading unbundled). The backup
// worker is a second entry beside it. Native better-sqlite3 stays external; react-devtools-core (an
// optional Ink dev dependency) is aliased to a stub.
import {build} from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {builtWorker, bundledWorkerUrl} from './backup-worker.mjs';
import {inkFast} from './ink-fast/plugin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// React, react-reconciler and scheduler pick their build at run time from NODE_ENV, so both builds
// land in the bundle: the development reconciler alone is 750 KB that every start parses. bin.ts
// runs with NODE_ENV=production, so the bundle keeps only the production build (start-up, bench
// P5). Only entry files of exactly this two-branch shape are rewritten.
// meow's prebuilt dependencies evaluate normalize-package-data (SPDX license lists included) on
// import, for `cli.pkg`, which opsdeck never reads: ~5% of start-up in the profile (bench P5).
// It is evaluated on first use instead; another meow version is bundled as it is.
const eagerNormalize = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
const lazyNormalize = 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);';
const meowLazyNormalize = {
	name: 'meow-lazy-normalize',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/]meow[\\/]build[\\/]dependencies\.js$/}, args => {
			const source = fs.readFileSync(args.path, 'utf8');
			return source.includes(eagerNormalize) ? {contents: source.replace(eagerNormalize, lazyNormalize), loader: 'js'} : undefined;
		});
	},
};

const twoBuilds = /^'use strict';\s*if \(process\.env\.NODE_ENV === 'production'\) \{\s*module\.exports = require\(('[^']+')\);\s*\} else \{\s*module\.exports = require\('[^']+'\);\s*\}\s*$/;
const productionReact = {
	name: 'production-react',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/][^\\/]+\.js$/}, args => {
			const match = twoBuilds.exec(fs.readFileSync(args.path, 'utf8'));
			return match ? {contents: `'use strict';\nmodule.exports = require(${match[1]});\n`, loader: 'js'} : undefined;
		});
	},
};

// Ink's layout engine (yoga, emscripten) loads its inline WASM with `fetch(data: URL)` whenever
// `typeof fetch` is a function: reading the global fetch makes Node load undici, then the base64 goes
// through it — tens of ms before the first frame (the start-up profile of npm run bench, P5). Told
// there is no fetch, it decodes the same inline bytes itself.
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(b) {
		b.onLoad({filter: /yoga-wasm-base64-esm\.js$/}, args => ({
			contents: fs.readFileSync(args.path, 'utf8').replaceAll('typeof fetch', '"undefined"'),
			loader: 'js',
		}));
	},
};

// string-width builds /^\p{RGI_Emoji}$/v when Ink loads: ~20 ms to build it and ~20 ms more to
// compile it on its first test, before the first frame (bench P5), for text that is nearly all
// ASCII. Every RGI emoji sequence begins with an Emoji code point (UTS #51: keycaps with 0-9 # *,
// flags with regional indicators, tag and ZWJ sequences with an emoji character), so a segment that
// does not is never tested against it, and the big regex is built on first real need. Same answers.
const eagerRgi = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const lazyRgi = 'let rgiEmojiRegex;\nconst emojiStart = /^\\p{Emoji}/u;\nconst isRgiEmoji = segment => emojiStart.test(segment) && (rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(segment);';
const stringWidthLazyEmoji = {
	name: 'string-width-lazy-emoji',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, args => {
			const source = fs.readFileSync(args.path, 'utf8');
			if (!source.includes(eagerRgi) || source.split('rgiEmojiRegex.test(segment)').length !== 2) return undefined;
			return {contents: source.replace(eagerRgi, () => lazyRgi).replace('rgiEmojiRegex.test(segment)', 'isRgiEmoji(segment)'), loader: 'js'};
		});
	},
};

// pg asks whether it runs in a Cloudflare Worker by reading the global Response, which makes Node
// load undici (~30 ms of the drivers' start, right after the first frame). The bundle is for Node
// (platform: 'node'), where the answer is always no.
const cloudflareProbe = 'function getStreamFuncs() {\n  if (isCloudflareRuntime()) {';
const pgNodeOnly = {
	name: 'pg-node-only',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/}, args => {
			const source = fs.readFileSync(args.path, 'utf8');
			return source.includes(cloudflareProbe) ? {contents: source.replace(cloudflareProbe, () => 'function getStreamFuncs() {\n  if (false) {'), loader: 'js'} : undefined;
		});
	},
};

const outdir = `${root}/build/bundle`;
// The backup worker is the second entry, beside bin.js; build/backups/worker.js (in a chunk) starts it
// from there, which is checked below.
const workerOut = 'backup-worker';
const result = await build({
	entryPoints: [{in: `${root}/build/bin.js`, out: 'bin'}, {in: builtWorker(root), out: workerOut}],
	outdir,
	// dynamic imports (store drivers, commands) become chunks loaded only when used
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	external: ['better-sqlite3', 'pg-native', 'cpu-features'],
	alias: {'react-devtools-core': `${root}/scripts/devtools-stub.mjs`},
	plugins: [bundledWorkerUrl(`../${workerOut}.js`), yogaWithoutFetch, productionReact, meowLazyNormalize, inkFast, stringWidthLazyEmoji, pgNodeOnly],
	banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
});

// the output holding worker.js must find the worker at ../backup-worker.js (it is a chunk, in chunks/)
const starter = Object.entries(result.metafile.outputs).find(([, output]) => Object.keys(output.inputs).some(input => path.resolve(input) === path.join(root, 'build/backups/worker.js')));
if (!starter || path.resolve(path.dirname(starter[0]), `../${workerOut}.js`) !== path.join(outdir, `${workerOut}.js`)) {
	console.error(`scripts/bundle.mjs: build/backups/worker.js was bundled into ${starter?.[0] ?? 'no output'}, from where ../${workerOut}.js is not the worker; update bundledWorkerUrl's path`);
	process.exit(1);
}

// Chunk names carry a content hash: without this, every build left the previous chunks behind
// (and `npm pack` would ship them). Removed after the new ones are written, so a console started
// meanwhile never finds its chunks missing.
// (metafile paths are relative to esbuild's working directory, the process's cwd)
const current = new Set(Object.keys(result.metafile.outputs).map(file => path.resolve(file)));
const chunks = path.join(outdir, 'chunks');
const names = fs.existsSync(chunks) ? fs.readdirSync(chunks) : [];
// never delete anything unless the paths line up with what was just written
if (names.some(name => current.has(path.join(chunks, name)))) {
	for (const name of names) if (!current.has(path.join(chunks, name))) fs.rmSync(path.join(chunks, name), {force: true});
}
