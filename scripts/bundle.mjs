// Bundles the tsc build into build/bundle/opsdeck.script.js, one CommonJS script that bin.js (the
// loader, scripts/code-cache-loader.cjs) runs with V8's code cache: start-up loads and compiles one
// file instead of hundreds (import('ink') alone is ~0.5 s of module loading unbundled). Beside it the
// lean scripts of plain `logs` and `keys` lines (opsdeck.logs.js, opsdeck.keys.js; source/cli/lean.ts). The backup
// worker is built beside it (backup-worker.cjs). Native better-sqlite3 stays external; react-devtools-core (an
// optional Ink dev dependency) is aliased to a stub. Nothing is written unless every check passes.
import {build} from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {builtinModules} from 'node:module';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {builtWorker, bundledWorkerUrl} from './backup-worker.mjs';
import {sumWasm} from './code-cache-sum.mjs';
import {builtCountWorker, bundledCountWorkerUrl, countWorkerFile} from './count-worker.mjs';
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
// `logs --count`'s worker the same way, beside bin.js (scripts/count-worker.mjs): count.js, inside a
// script bin.js runs, starts it from there.
const countWorker = await build({
	entryPoints: [builtCountWorker(root)],
	outfile: path.join(outdir, countWorkerFile),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	legalComments: 'none',
	logLevel: 'warning',
	write: false,
});
// The program: one CommonJS script, build/bundle/opsdeck.script.js, run by bin.js
// (scripts/code-cache-loader.cjs) through V8 with a code cache — Node 20 caches no compiled ES
// modules, and compiling the code of the first frame was a third of the start (bench P5); one file
// also spares resolving and loading the ~40 chunks the console's first frame needed. Dynamic imports
// (store drivers, commands) stay lazy: esbuild wraps each module so that it is evaluated on first
// import, and V8 compiles a function only when it first runs (or takes it from the cache).
const scriptFile = 'opsdeck.script.js';
// The lean scripts (source/cli/lean.ts): a plain `logs` or `keys` line run without the rest of the
// program, so that its start reads and deserialises only what that command runs (bench P9, P1). bin.js
// picks one by the command's name; it declines any line the main script would read otherwise.
const leanCommands = ['logs', 'keys'];
const leanFile = command => `opsdeck.${command}.js`;
const scriptOptions = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	// ssh2-sftp-client and ssh2 (SFTP remotes, dependencies present at run time) stay external: ssh2's
	// crypto reads __dirname, which a bundle's code would take for the bundle's own folder; loaded from
	// node_modules they are CommonJS with their own __dirname and require.
	// (ssh2 tries its optional native crypto, cpu-features, in a try/catch and runs in JS without it.)
	external: ['better-sqlite3', 'pg-native', 'cpu-features', '*.node', 'ssh2-sftp-client', 'ssh2'],
	alias: {'react-devtools-core': `${root}/scripts/devtools-stub.mjs`},
	// the ES modules' import.meta.url: the script's own file (the loader hands it __filename)
	define: {'import.meta.url': '__importMetaUrl', 'import.meta': '__importMeta'},
	banner: {js: "(function (exports, require, module, __filename, __dirname) { const __importMetaUrl = require('node:url').pathToFileURL(__filename).href; const __importMeta = {url: __importMetaUrl}; const __importExternal = name => Promise.resolve().then(() => { const m = require(name); return {...m, default: m}; }); const __builtinsESM = new Map(); const __builtinESM = name => { let m = __builtinsESM.get(name); if (m === undefined) __builtinsESM.set(name, (m = __toESM(require(name), 1))); return m; };"},
	footer: {js: '\n})'},
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
	write: false,
};
const result = await build({
	...scriptOptions,
	entryPoints: [`${root}/build/cli/cli.js`],
	outfile: path.join(outdir, scriptFile),
	plugins: [bundledWorkerUrl(`./${workerFile}`), bundledCountWorkerUrl(`./${countWorkerFile}`), ...dependencyPatches(guard), ...inkFast(guard)],
});
const leanResults = [];
for (const command of leanCommands) {
	leanResults.push(await build({
		...scriptOptions,
		entryPoints: [`${root}/build/cli/lean-${command}.js`],
		outfile: path.join(outdir, leanFile(command)),
		// (the patch guard counts the main script's loads; the lean ones are patched the same)
		plugins: [bundledWorkerUrl(`./${workerFile}`), bundledCountWorkerUrl(`./${countWorkerFile}`), ...dependencyPatches(patchGuard(modules)), ...inkFast(patchGuard(modules))],
	}));
}
// a patch target the bundle no longer loads: its patch applies to nothing
const missed = guard.missed();
if (missed.length > 0) {
	console.error(`scripts/bundle.mjs: the bundle no longer loads ${missed.map(file => `node_modules/${file}`).join(', ')}, so its patch applies to nothing; update scripts/patch-targets.mjs and the patch`);
	process.exit(1);
}

// esbuild keeps `import("x")` of what stays outside the bundle (Node's built-ins, better-sqlite3):
// a script run by vm has no ES module loader for it, so each becomes a require() of the same module
// with Node's import() shape (the module's exports, and as default); nothing else may be left.
const builtins = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));
function scriptOf(built, name) {
	const programFile = built.outputFiles.find(file => file.path === path.join(outdir, name));
	// And every ES module importing a Node built-in got its own `__toESM(require("node:fs"), 1)`, a copy
	// of the built-in's exports as getters (125 of them, ~100 properties each for fs and process): made
	// once per built-in instead, and shared (nothing writes to them).
	const programText = programFile.text
		.replace(/(?<![\w$.])import\(("[^"\\]+")\)/g, (_, name) => `__importExternal(${name})`)
		.replace(/__toESM\(require\(("[^"\\]+")\), 1\)/g, (call, name) => (builtins.has(JSON.parse(name)) ? `__builtinESM(${name})` : call))
		// ASCII only, so bin.js reads it as latin1 into a one-byte string (~12 ms less than UTF-8 into a
		// two-byte one, at every start): esbuild escapes non-ASCII in strings but keeps template literals'
		// (and comments') raw text; a \u escape means the same there (in a template, a regex, a comment)
		.replace(/[^\x00-\x7f]/gu, (char, at, text) => {
			// after a backslash the escape would change meaning: stop the build rather than guess
			if (text[at - 1] === '\\') throw new Error(`scripts/bundle.mjs: a non-ASCII character after a backslash at ${at}; escape it by hand`);
			return Array.from({length: char.length}, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
		});
	const leftover = /(?<![\w$.])import\(/.exec(programText.replace(/\/\/.*$/gm, ''));
	if (leftover) {
		console.error(`scripts/bundle.mjs: ${name} still holds a dynamic import() (at ${leftover.index}); bundle or require what it loads`);
		process.exit(1);
	}
	return {path: programFile.path, contents: Buffer.from(programText), text: programText};
}
const program = scriptOf(result, scriptFile);
const leanScripts = leanCommands.map((command, i) => scriptOf(leanResults[i], leanFile(command)));
// the script must find the worker at ./backup-worker.cjs, beside it
if (!Object.keys(result.metafile.outputs[path.relative(process.cwd(), program.path)]?.inputs ?? {}).some(input => path.resolve(input) === path.join(root, 'build/backups/worker.js'))) {
	console.error('scripts/bundle.mjs: build/backups/worker.js is not in the script; update bundledWorkerUrl\'s path');
	process.exit(1);
}
// the main script and the lean `logs` one must start the count worker from ./count-worker.cjs (the
// plugin saw count.js in each)
for (const [built, script] of [[result, program], [leanResults[leanCommands.indexOf('logs')], leanScripts[leanCommands.indexOf('logs')]]]) {
	if (!Object.keys(built.metafile.outputs[path.relative(process.cwd(), script.path)]?.inputs ?? {}).some(input => path.resolve(input) === path.join(root, 'build/logs/count.js')) || !script.text.includes(JSON.stringify(`./${countWorkerFile}`))) {
		console.error(`scripts/bundle.mjs: ${path.basename(script.path)} does not start the count worker from ./${countWorkerFile}; update scripts/count-worker.mjs`);
		process.exit(1);
	}
}
// bin.js: the loader, naming the caches after this build's content (every script's)
const buildHash = crypto.createHash('sha256');
for (const script of [program, ...leanScripts]) buildHash.update(script.contents);
const buildId = buildHash.digest('hex').slice(0, 16);
const loader = fs.readFileSync(path.join(root, 'scripts/code-cache-loader.cjs'), 'utf8');
if (loader.split("'BUILD_ID'").length !== 2) throw new Error('scripts/code-cache-loader.cjs should name BUILD_ID once');
if (loader.split("['COMMANDS']").length !== 2) throw new Error('scripts/code-cache-loader.cjs should name [\'COMMANDS\'] once');
if (loader.split("'SUM_WASM'").length !== 2) throw new Error('scripts/code-cache-loader.cjs should name SUM_WASM once');
if (loader.split("['LEAN']").length !== 2) throw new Error('scripts/code-cache-loader.cjs should name [\'LEAN\'] once');
// the commands' names: a cache per kind of run (the console, each command), found without parsing flags
const {commandNames} = await import(pathToFileURL(path.join(root, 'build/commands/help.js')).href);
const bin = {path: path.join(outdir, 'bin.js'), contents: Buffer.from(loader.replace("'BUILD_ID'", JSON.stringify(buildId)).replace("['COMMANDS']", JSON.stringify(commandNames)).replace("['LEAN']", JSON.stringify(leanCommands)).replace("'SUM_WASM'", JSON.stringify(sumWasm().toString('base64'))))};
// bin.js is CommonJS (the repository's package.json says "module" for every other .js)
const scope = {path: path.join(outdir, 'package.json'), contents: Buffer.from('{"type": "commonjs"}\n')};

for (const file of [...worker.outputFiles, ...countWorker.outputFiles, program, ...leanScripts, bin, scope]) {
	fs.mkdirSync(path.dirname(file.path), {recursive: true});
	fs.writeFileSync(file.path, file.contents);
}
// the chunks of the ES module bundle this one replaced
fs.rmSync(path.join(outdir, 'chunks'), {recursive: true, force: true});
