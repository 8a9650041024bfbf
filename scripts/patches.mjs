// The bundle's patches of dependency files (each one's why beside it). Every patched file is listed
// with its sha256 in scripts/patch-targets.mjs and read through the guard, which stops the build when
// a file is not the one its patch was written against; other copies of these packages (nested
// elsewhere in node_modules) are no targets and are bundled as they are.
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {replaceOnce} from './patch-targets.mjs';

/** an esbuild plugin patching the targets its filter matches: patch(text, file) gives the new text */
function patchPlugin(guard, name, filter, patch) {
	return {
		name,
		setup(b) {
			b.onLoad({filter}, args => {
				const source = guard.read(args.path);
				return source === undefined ? undefined : {contents: patch(source, args.path), loader: 'js'};
			});
		},
	};
}

// React, react-reconciler and scheduler pick their build at run time from NODE_ENV, so both builds
// land in the bundle: the development reconciler alone is 750 KB that every start parses. bin.ts
// runs with NODE_ENV=production, so the bundle keeps only the production build (start-up, bench
// P5). The entry files are of exactly this two-branch shape.
const twoBuilds = /^'use strict';\s*if \(process\.env\.NODE_ENV === 'production'\) \{\s*module\.exports = require\(('[^']+')\);\s*\} else \{\s*module\.exports = require\('[^']+'\);\s*\}\s*$/;
const productionReact = guard => patchPlugin(guard, 'production-react', /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/][^\\/]+\.js$/, (source, file) => {
	const match = twoBuilds.exec(source);
	if (!match) throw new Error(`scripts/patches.mjs: ${file} is not a two-build entry; update the patch`);
	return `'use strict';\nmodule.exports = require(${match[1]});\n`;
});

// meow's prebuilt dependencies evaluate normalize-package-data (SPDX license lists included) on
// import, for `cli.pkg`, which opsdeck never reads: ~5% of start-up in the profile (bench P5).
// It is evaluated on first use instead.
const eagerNormalize = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
const lazyNormalize = 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);';
const meowLazyNormalize = guard => patchPlugin(guard, 'meow-lazy-normalize', /[\\/]node_modules[\\/]meow[\\/]build[\\/]dependencies\.js$/,
	(source, file) => replaceOnce(source, eagerNormalize, lazyNormalize, file));

// Ink's layout engine (yoga, emscripten) loads its inline WASM with `fetch(data: URL)` whenever
// `typeof fetch` is a function: reading the global fetch makes Node load undici, then the base64 goes
// through it — tens of ms before the first frame (the start-up profile of npm run bench, P5). Told
// there is no fetch; the bundle instantiates the same inline bytes itself (yogaSyncIndex below).
const yogaWithoutFetch = guard => patchPlugin(guard, 'yoga-without-fetch', /yoga-wasm-base64-esm\.js$/, yogaBinaries);

// string-width builds /^\p{RGI_Emoji}$/v when Ink loads: ~20 ms to build it and ~20 ms more to
// compile it on its first test, before the first frame (bench P5), for text that is nearly all
// ASCII. Every RGI emoji sequence begins with an Emoji code point (UTS #51: keycaps with 0-9 # *,
// flags with regional indicators, tag and ZWJ sequences with an emoji character), so a segment that
// does not is never tested against it, and the big regex is built on first real need. Same answers.
const eagerRgi = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const lazyRgi = 'let rgiEmojiRegex;\nconst emojiStart = /^\\p{Emoji}/u;\nconst isRgiEmoji = segment => emojiStart.test(segment) && (rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(segment);';
/** string-width's index.js as bundled (test/scripts/string-width-patch.test.ts compares the two) */
export const lazyEmojiStringWidth = (source, file) => replaceOnce(replaceOnce(source, eagerRgi, lazyRgi, file), 'rgiEmojiRegex.test(segment)', 'isRgiEmoji(segment)', file);

// The first `new Intl.Segmenter()` of a process loads ICU's break-iterator data (15-30 ms of the
// start, more on a loaded machine), and string-width, ansi-tokenize, wrap-ansi's string-width and
// slice-ansi each make one when Ink loads. Text whose every character is a grapheme of its own
// (ASCII, Latin, punctuation, arrows, box drawing, symbols: most of what the console draws) is cut
// without ICU, any other text by a real segmenter made on its first need; slice-ansi's (it also asks
// `containing`) is made on its first use (scripts/ink-fast/graphemes.js; test/scripts/graphemes-patch.test.ts).
const graphemesModule = JSON.stringify(fileURLToPath(new URL('ink-fast/graphemes.js', import.meta.url)));
/** `new Intl.Segmenter(…)` exactly as `file` writes it, replaced by `factory(…)` of graphemes.js */
export const segmenterOnNeed = (source, file, made, factory = 'lazySegmenter') =>
	`import {${factory}} from ${graphemesModule};\n${replaceOnce(source, made, made.replace('new Intl.Segmenter', factory), file)}`;
const stringWidthPatch = (source, file) => segmenterOnNeed(lazyEmojiStringWidth(source, file), file, 'new Intl.Segmenter()');
const stringWidthLazyEmoji = guard => patchPlugin(guard, 'string-width-lazy-emoji', /[\\/]node_modules[\\/]string-width[\\/]index\.js$/, stringWidthPatch);
const graphemesOnNeed = guard => [
	patchPlugin(guard, 'ansi-tokenize-graphemes', /[\\/]node_modules[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/,
		(source, file) => segmenterOnNeed(source, file, 'new Intl.Segmenter(undefined, { granularity: "grapheme" })')),
	patchPlugin(guard, 'wrap-ansi-string-width-graphemes', /[\\/]node_modules[\\/]wrap-ansi[\\/]node_modules[\\/]string-width[\\/]index\.js$/,
		(source, file) => segmenterOnNeed(source, file, 'new Intl.Segmenter()')),
	patchPlugin(guard, 'slice-ansi-graphemes', /[\\/]node_modules[\\/]slice-ansi[\\/]tokenize-ansi\.js$/,
		(source, file) => segmenterOnNeed(source, file, "new Intl.Segmenter(undefined, {granularity: 'grapheme'})", 'segmenterOnFirstUse')),
];

// pg asks whether it runs in a Cloudflare Worker by reading the global Response, which makes Node
// load undici (~30 ms of the drivers' start, right after the first frame). The bundle is for Node
// (platform: 'node'), where the answer is always no.
const cloudflareProbe = 'function getStreamFuncs() {\n  if (isCloudflareRuntime()) {';
const pgNodeOnly = guard => patchPlugin(guard, 'pg-node-only', /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/,
	(source, file) => replaceOnce(source, cloudflareProbe, 'function getStreamFuncs() {\n  if (false) {', file));

// The bundle is one CommonJS script (scripts/bundle.mjs: V8's code cache), which cannot hold a
// top-level await. yoga awaits its emscripten loader, which compiles the inline WASM asynchronously:
// here the loader is handed the instance, compiled and instantiated synchronously from the same
// bytes (emscripten's instantiateWasm hook), and it finishes initialising before it returns.
const yogaAwait = 'const Yoga = wrapAssembly(await loadYoga());';
const yogaSync = `const yoga = {
	instantiateWasm(imports, receive) {
		const bytes = Buffer.from(yogaWasmBase64(), 'base64');
		receive(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
		return {};
	},
};
loadYoga(yoga);
if (!yoga.asm) throw new Error('yoga did not initialise synchronously');
const Yoga = wrapAssembly(yoga);`;
const yogaSyncIndex = guard => patchPlugin(guard, 'yoga-sync', /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/, (source, file) =>
	replaceOnce(replaceOnce(source, "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';", "import loadYoga, {yogaWasmBase64} from '../binaries/yoga-wasm-base64-esm.js';", file), yogaAwait, yogaSync, file));
const wasmDataUri = 'H="data:application/octet-stream;base64,';
/** yoga's emscripten file, told there is no fetch, and exporting its inline WASM's base64 */
const yogaBinaries = (source, file) => {
	if (!source.includes('typeof fetch')) throw new Error(`scripts/patches.mjs: ${file} no longer reads fetch; update the patch`);
	const start = source.indexOf(wasmDataUri);
	const end = source.indexOf('"', start + wasmDataUri.length);
	if (source.split(wasmDataUri).length !== 2 || end === -1) throw new Error(`scripts/patches.mjs: ${file} no longer holds its WASM as one data: URI; update the patch`);
	const base64 = source.slice(start + wasmDataUri.length, end);
	return `${source.replaceAll('typeof fetch', '"undefined"')}\nexport const yogaWasmBase64 = () => ${JSON.stringify(base64)};\n`;
};

// Ink's reconciler awaits, at top level, React devtools and its package.json when DEV=true; the
// bundle aliases react-devtools-core to a stub (devtools-stub.mjs), so DEV=true connects nothing
// either way, and the two awaits go.
const inkDevtoolsAwait = "if (isDev()) {\n    try {\n        await import('./devtools.js');";
const inkPackageAwait = 'const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };';
const inkNoTopLevelAwait = guard => patchPlugin(guard, 'ink-no-top-level-await', /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/, (source, file) =>
	replaceOnce(replaceOnce(source, inkDevtoolsAwait, "if (false) {\n    try {\n        void import('./devtools.js');", file), inkPackageAwait, 'const packageJson = { name: undefined, version: undefined };', file));

// React is CommonJS: every ES module importing it (each of opsdeck's .tsx files, Ink's, for `react`
// and `react/jsx-runtime`) got its own `__toESM(require_react())`, a fresh copy of React's ~60
// exports as getters: 111 copies, ~10-15 ms of the start before the first frame (the CPU profile of
// bench P5). ES imports of both now go through one ES module each that imports React once and
// re-exports its names as plain bindings (require() of React from CommonJS is unchanged).
const requireHere = createRequire(import.meta.url);
const reactEntries = ['react', 'react/jsx-runtime'];
const reactOnce = () => ({
	name: 'react-once',
	setup(b) {
		b.onResolve({filter: /^react(\/jsx-runtime)?$/}, args => (args.kind === 'import-statement' ? {path: args.path, namespace: 'react-once'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'react-once'}, args => {
			if (!reactEntries.includes(args.path)) return undefined;
			const file = requireHere.resolve(args.path, {paths: [b.initialOptions.absWorkingDir ?? process.cwd()]});
			// the names the production build exports (the one the bundle keeps)
			const previous = process.env.NODE_ENV;
			process.env.NODE_ENV = 'production';
			const names = Object.keys(requireHere(file)).filter(name => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
			process.env.NODE_ENV = previous;
			if (previous === undefined) delete process.env.NODE_ENV;
			return {
				contents: `import m from ${JSON.stringify(file)};\nexport default m;\nexport const {${names.join(', ')}} = m;\n`,
				loader: 'js',
				resolveDir: path.dirname(file),
			};
		});
	},
});

// Node built-ins loaded before the console's first frame that it never uses: terminal-size's
// child_process (which loads dgram too; Ink asks terminal-size only when stdout has no size, and
// then child_process is required) and signal-exit's assert (only for a wrong argument): each
// required on first need, ~1.5 ms of the start (bench P5; each one's cost measured in a process
// that had already loaded the others the console loads).
const eagerChildProcess = "import {execFileSync} from 'node:child_process';";
const lazyChildProcess = "const execFileSync = (...arguments_) => process.getBuiltinModule('node:child_process').execFileSync(...arguments_);";
export const terminalSizeText = (source, file) => replaceOnce(source, eagerChildProcess, lazyChildProcess, file);
const terminalSizeLazy = guard => patchPlugin(guard, 'terminal-size-lazy', /[\\/]node_modules[\\/]terminal-size[\\/]index\.js$/, terminalSizeText);
const eagerAssert = "  var assert = require('assert')";
// (assert.equal is called at every onExit, with a function: the check itself, assert's `==`, made here,
// and assert required only to throw its own error when it fails)
const lazyAssert = "  var assert = {equal: function (actual, expected, message) { if (actual != expected) require('assert').equal(actual, expected, message) }}";
export const signalExitText = (source, file) => replaceOnce(source, eagerAssert, lazyAssert, file);
const signalExitLazy = guard => patchPlugin(guard, 'signal-exit-lazy', /[\\/]node_modules[\\/]signal-exit[\\/]index\.js$/, signalExitText);

/** the dependency patches, each reading its files through `guard` (scripts/patch-targets.mjs) */
// (graphemesOnNeed first: its wrap-ansi/node_modules/string-width is matched by string-width's filter too)
// Ink marks a text's yoga node dirty on every change of its text, so each poll of the idle Status
// tab (a clock, latencies, uptimes: a few characters each) made yoga lay out the whole tree again
// and call back into JS to measure every dirty text (~11% of the idle console's main thread, bench
// P5b). A text's measure (width and height, at any width yoga asks: natural, wrapped or truncated)
// depends only on the cells its characters take and on where the spaces are (wrap-ansi breaks at
// spaces): a new value of the same length, printable ASCII only (one cell each, no escape), with
// spaces exactly where the old one had them, measures the same, so the layout is the one already
// computed and the node is left clean. Anything else marks it dirty as Ink does. The frame is still
// drawn from the new text (Ink's renderer reads node values every frame); test/scripts/ink-dirty-patch.test.ts.
const eagerDirty = 'node.nodeValue = text;\n    markNodeAsDirty(node);';
const sameCellsDirty = 'const old = node.nodeValue;\n    node.nodeValue = text;\n    if (typeof old === \'string\' && sameCells(old, text)) return;\n    markNodeAsDirty(node);';
export const sameCellsSource = `/** (opsdeck) same length, printable ASCII both, spaces at the same places: measures the same at any width */
const sameCells = (a, b) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x < 0x20 || x > 0x7e || y < 0x20 || y > 0x7e || (x === 0x20) !== (y === 0x20)) return false;
    }
    return true;
};
`;
export const inkDomText = (source, file) => `${replaceOnce(source, eagerDirty, sameCellsDirty, file)}\n${sameCellsSource}`;
const inkSameCellsClean = guard => patchPlugin(guard, 'ink-same-cells-clean', /[\\/]node_modules[\\/]ink[\\/]build[\\/]dom\.js$/, inkDomText);

// Ink keeps every text it ever measured (measure-text.js, a Map) and every text it ever wrapped or
// truncated at a width (wrap-text.js, an object), for the life of the process: a console left in a
// tmux pane for weeks measures a new text for every new value of a counter, a latency, an uptime,
// and the caches only grew. Bounded: past 4,096 entries a cache starts again (a frame or two of
// measuring anew; a screen holds a few hundred texts). test/scripts/ink-text-cache-patch.test.ts.
export const textCacheLimit = 4096;
const measureSet = '    cache.set(text, dimensions);';
const wrapDeclared = 'const cache = {};';
const wrapSet = '    cache[cacheKey] = wrappedText;';
export const inkMeasureTextBounded = (source, file) =>
	replaceOnce(source, measureSet, `    if (cache.size >= ${textCacheLimit}) cache.clear();\n${measureSet}`, file);
export const inkWrapTextBounded = (source, file) =>
	replaceOnce(replaceOnce(source, wrapDeclared, 'let cache = {};\nlet cached = 0;', file), wrapSet, `    if (++cached > ${textCacheLimit}) {\n        cache = {};\n        cached = 1;\n    }\n${wrapSet}`, file);
const inkTextCachesBounded = guard => [
	patchPlugin(guard, 'ink-measure-text-bounded', /[\\/]node_modules[\\/]ink[\\/]build[\\/]measure-text\.js$/, inkMeasureTextBounded),
	patchPlugin(guard, 'ink-wrap-text-bounded', /[\\/]node_modules[\\/]ink[\\/]build[\\/]wrap-text\.js$/, inkWrapTextBounded),
];

export const dependencyPatches = guard => [reactOnce(), yogaSyncIndex(guard), inkNoTopLevelAwait(guard), ...graphemesOnNeed(guard), yogaWithoutFetch(guard), productionReact(guard), meowLazyNormalize(guard), stringWidthLazyEmoji(guard), pgNodeOnly(guard), terminalSizeLazy(guard), signalExitLazy(guard), inkSameCellsClean(guard), ...inkTextCachesBounded(guard)];

export {patchPlugin};
