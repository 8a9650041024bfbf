// Bundles the tsc build into build/bundle/bin.js (and chunks loaded on demand): start-up loads one
// module instead of hundreds (import('ink') alone is ~0.5 s of module loading unbundled). The backup
// worker is built beside it (backup-worker.cjs). Native better-sqlite3 stays external; react-devtools-core (an
// optional Ink dev dependency) is aliased to a stub. Nothing is written unless every check passes.
import {build} from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {builtWorker, bundledWorkerUrl} from './backup-worker.mjs';
import {inkFast} from './ink-fast/plugin.mjs';
import {checkPatchTargets, patchGuard, PatchTargetError} from './patch-targets.mjs';
import {dependencyPatches} from './patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Dependency files patched at build time (scripts/patches.mjs, scripts/ink-fast/): each must be the
// file its patch was written against, or the build stops here, before anything is written.
const modules = path.join(root, 'node_modules');
try {
	checkPatchTargets(modules);
} catch (error) {
	if (!(error instanceof PatchTargetError)) throw error;
	console.error(error.message);
	process.exit(1);
}
const guard = patchGuard(modules);

const outdir = `${root}/build/bundle`;
// The backup worker is built on its own, beside bin.js, as one CommonJS file: a worker thread starts
// a CommonJS file as fast as the code string it used to be, an ES module ~10-30 ms slower (its loader
// starts first), and every backup starts four. build/backups/worker.js (in a chunk) starts it from
// there, which is checked below.
const workerFile = 'backup-worker.cjs';
const worker = await build({
	entryPoints: [builtWorker(root)],
	outfile: path.join(outdir, workerFile),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['better-sqlite3'],
	legalComments: 'none',
	logLevel: 'warning',
	write: false,
});
const result = await build({
	entryPoints: [`${root}/build/bin.js`],
	outdir,
	// dynamic imports (store drivers, commands) become chunks loaded only when used
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// ssh2-sftp-client and ssh2 (SFTP remotes, dependencies present at run time) stay external: ssh2's
	// crypto reads __dirname, which an ES module chunk does not have (every sftp:// remote crashed with a
	// ReferenceError); loaded from node_modules they are CommonJS with their own __dirname and require.
	// (ssh2 tries its optional native crypto, cpu-features, in a try/catch and runs in JS without it.)
	external: ['better-sqlite3', 'pg-native', 'cpu-features', '*.node', 'ssh2-sftp-client', 'ssh2'],
	alias: {'react-devtools-core': `${root}/scripts/devtools-stub.mjs`},
	plugins: [bundledWorkerUrl(`../${workerFile}`), ...dependencyPatches(guard), ...inkFast(guard)],
	banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
	write: false,
});

// a patch target the bundle no longer loads: its patch applies to nothing
const missed = guard.missed();
if (missed.length > 0) {
	console.error(`scripts/bundle.mjs: the bundle no longer loads ${missed.map(file => `node_modules/${file}`).join(', ')}, so its patch applies to nothing; update scripts/patch-targets.mjs and the patch`);
	process.exit(1);
}

// the output holding worker.js must find the worker at ../backup-worker.cjs (it is a chunk, in chunks/)
const starter = Object.entries(result.metafile.outputs).find(([, output]) => Object.keys(output.inputs).some(input => path.resolve(input) === path.join(root, 'build/backups/worker.js')));
if (!starter || path.resolve(path.dirname(starter[0]), `../${workerFile}`) !== path.join(outdir, workerFile)) {
	console.error(`scripts/bundle.mjs: build/backups/worker.js was bundled into ${starter?.[0] ?? 'no output'}, from where ../${workerFile} is not the worker; update bundledWorkerUrl's path`);
	process.exit(1);
}

for (const file of [...worker.outputFiles, ...result.outputFiles]) {
	fs.mkdirSync(path.dirname(file.path), {recursive: true});
	fs.writeFileSync(file.path, file.contents);
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
