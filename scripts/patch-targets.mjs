// Every file of node_modules that scripts/bundle.mjs patches or swaps at build time, with the sha256
// of the file its patch was written against. A patch that no longer matches its file used to be
// skipped in silence (the bundle quietly lost a start-up or idle-CPU saving, or a swapped Ink file
// drifted from Ink). Now the build stops and says which file and which package to update the patch
// for. The packages are pinned to these versions in package.json (dependencies and overrides).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const patchTargets = {
	// scripts/ink-fast/: frames composed with caches across renders
	'ink/build/output.js': {version: 'ink 6.8.0', sha256: 'de9078c7fc647c40cf9e32d6658fcbbee91dae9e3f6334e5f4ebfc5905fc401d'},
	'widest-line/index.js': {version: 'widest-line 6.0.0', sha256: 'c56c70d00610e14d157c1ed4fc3a2b83d96f7e595b1842ba12f3a84217796eb1'},
	// start-up (bench P5): normalize-package-data on first use, the RGI emoji regex on first use, no undici
	'meow/build/dependencies.js': {version: 'meow 14.1.0', sha256: 'b8a6bc10fd20a7a5066d87bc3d93a340d58f2dd07bfdc2ee1d96ab9bf47dc446'},
	'string-width/index.js': {version: 'string-width 8.3.0', sha256: 'abc20775da6b552188b098688ebec671e29f5416d6339d3534bb7b016174003e'},
	// start-up (bench P5): ICU's segmenter only for text that needs it (scripts/ink-fast/graphemes.js)
	'@alcalzone/ansi-tokenize/build/tokenize.js': {version: '@alcalzone/ansi-tokenize 0.2.5', sha256: '2685ddc940a005fb589f2af2182e90349fbe000da0b302c89ebbe782d97ade0d'},
	'wrap-ansi/node_modules/string-width/index.js': {version: 'string-width 7.2.0', sha256: '16421893c66e7c45a68251f0708caaa8d49d74e9570ae574371d21356e9d30a6'},
	'slice-ansi/tokenize-ansi.js': {version: 'slice-ansi 8.0.0', sha256: '8e4dcbf3c29a828963a6de01e7253b4fbcdcc231df424f779e5308cb27aa7f67'},
	'pg/lib/stream.js': {version: 'pg 8.23.1', sha256: '0bd4001775301604ddf7c94152e05f6f30a9354876717bdae2ab636d00eb12ba'},
	'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js': {version: 'yoga-layout 3.2.1', sha256: '2cfeda49ae87f57bcd4a5fe433940edefc531a69bd0f83e32759fb5837df205c'},
	// the bundle is one CommonJS script (V8's code cache): no top-level await
	'yoga-layout/dist/src/index.js': {version: 'yoga-layout 3.2.1', sha256: '0c89ff0c01ee90b081b369119f972d72f71eb8882263d94ef0824500817d5de1'},
	// idle CPU (bench P5b): a text that changes to one of the same cells leaves the layout clean
	'ink/build/dom.js': {version: 'ink 6.8.0', sha256: 'dd539e922a9a5bfb89cd80b0bdf81bfc40ca47bb5df6bf83f7fbc379d48c2522'},
	// a console left running for weeks: Ink's text caches bounded
	'ink/build/measure-text.js': {version: 'ink 6.8.0', sha256: '4562d24171af3063b91a0d965c652ebdf1e2bdf4fe7f75c6bc8664fefc77df6a'},
	'ink/build/wrap-text.js': {version: 'ink 6.8.0', sha256: 'd2b8b4d05ed0eadd6c52149092f062ba048cda9928ce88e5176107c6fe38c19e'},
	'ink/build/reconciler.js': {version: 'ink 6.8.0', sha256: '33206e5904be42672999acd9dd9d37c6bb109176c836bf5469ac89a50ff773f2'},
	// the production build only
	'react/index.js': {version: 'react 19.3.1', sha256: '60caffdecbdc5db3bc4ec4e83df9488345ccb271d07533b9210bf5750918d97e'},
	'react/jsx-runtime.js': {version: 'react 19.3.1', sha256: 'b392951a77d0a2e6a6bd017e49d768481ae5b63c4109c6c31f622cf7b2433edc'},
	'react-reconciler/index.js': {version: 'react-reconciler 0.33.0', sha256: 'fc1202d3830276707d2eecaa0a664e7ca358a264e690dc6aec6c2f797523d2b5'},
	'react-reconciler/constants.js': {version: 'react-reconciler 0.33.0', sha256: '870e602f5927f785a471daf06a1f447b4f15cec5c3212137acb7c0b4f32d5fe9'},
	'scheduler/index.js': {version: 'scheduler 0.27.0', sha256: '145965504d60007bc25486ab930b0367867dcd5d579ccd343c148d69349a7cfb'},
	// start-up (bench P5): Node built-ins the first frame does not use, required on first use
	'terminal-size/index.js': {version: 'terminal-size 4.0.1', sha256: 'e9869170041390b3addb2cf10ec451fb8e8a3d6cdb6ff9730522218c910540ea'},
	'signal-exit/index.js': {version: 'signal-exit 3.0.7', sha256: '7cc6f6a1e14dec79dc23f6afd7caca1319189747144e1a33af77616c21d9e9de'},
};

export class PatchTargetError extends Error {
	constructor(message) {
		super(message);
		this.name = 'PatchTargetError';
	}
}

/** the folder of the package a file under node_modules belongs to ('ink', '@scope/name', 'a/node_modules/b') */
export function packageDir(relative) {
	const nested = relative.lastIndexOf('/node_modules/');
	const outer = nested === -1 ? '' : relative.slice(0, nested + '/node_modules/'.length);
	const parts = relative.slice(outer.length).split('/');
	return outer + (parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
}

/** the package a file under node_modules belongs to, as 'name X.Y.Z' (what is installed now) */
function installed(modulesDir, relative) {
	const name = packageDir(relative);
	try {
		return `${name} ${JSON.parse(fs.readFileSync(path.join(modulesDir, name, 'package.json'), 'utf8')).version}`;
	} catch {
		return `${name} (not installed)`;
	}
}

/** The problem with one target ('' when it is the file its patch was written against), and its text. */
function examine(modulesDir, relative, targets) {
	const {version, sha256} = targets[relative];
	let bytes;
	try {
		bytes = fs.readFileSync(path.join(modulesDir, relative));
	} catch {
		return {problem: `scripts/bundle.mjs: node_modules/${relative} is missing (the patch was written against ${version}'s); update the patch for ${installed(modulesDir, relative)}`};
	}
	const found = crypto.createHash('sha256').update(bytes).digest('hex');
	if (found === sha256) return {problem: '', text: bytes.toString('utf8')};
	return {problem: `scripts/bundle.mjs: node_modules/${relative} is not the file the patch was written against (sha256 ${found}, the patch expects ${sha256} from ${version}); update the patch for ${installed(modulesDir, relative)}`};
}

/** Checks every target before the build: throws a PatchTargetError naming each file that differs. */
export function checkPatchTargets(modulesDir, targets = patchTargets) {
	const problems = Object.keys(targets).map(relative => examine(modulesDir, relative, targets).problem).filter(Boolean);
	if (problems.length > 0) throw new PatchTargetError(problems.join('\n'));
}

/**
 * For the plugins: read(file) is the text of a target, its sha256 checked (a PatchTargetError if it
 * differs), or undefined for a file that is no target (another copy of the package, bundled as it
 * is); missed() lists the targets never read (the bundle no longer loads them: a patch that applies
 * to nothing is as silent as one skipped).
 */
export function patchGuard(modulesDir, targets = patchTargets) {
	const real = fs.realpathSync(modulesDir);
	const read = new Set();
	return {
		read(file) {
			const relative = path.relative(real, fs.realpathSync(file)).split(path.sep).join('/');
			if (!Object.hasOwn(targets, relative)) return undefined;
			const {problem, text} = examine(real, relative, targets);
			if (problem) throw new PatchTargetError(problem);
			read.add(relative);
			return text;
		},
		missed: () => Object.keys(targets).filter(relative => !read.has(relative)),
	};
}

/** `source` with `from` replaced by `to`, which must be found exactly once (the file is a target: it is) */
export function replaceOnce(source, from, to, file) {
	const found = source.split(from).length - 1;
	if (found !== 1) throw new PatchTargetError(`scripts/bundle.mjs: the patch of ${file} expects its text once, found it ${found} times; update the patch`);
	return source.replace(from, () => to);
}
