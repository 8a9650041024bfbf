#!/usr/bin/env node
// opsdeck's bin (written into build/bundle/bin.js by scripts/bundle.mjs, BUILD_ID, COMMANDS and LEAN
// filled in): runs the bundle, one CommonJS script (opsdeck.script.js, a function expression of the
// usual (exports, require, module, __filename, __dirname)), through V8 with a code cache; a plain
// `logs` or `keys` line through that command's own smaller script (opsdeck.logs.js, opsdeck.keys.js;
// source/cli/lean.ts), which hands any other line back to the main one. Node 20 has no
// compile cache for modules; compiling the bundle's ~2 MB before it can run was a third of the start
// (bench P5). The cache (V8's own data: the functions compiled by an earlier run) lives in
// $XDG_CACHE_HOME/opsdeck (~/.cache/opsdeck), named by a hash of the build's content and Node's
// version (V8 itself checks only the source's length); V8 refuses data made by another V8 or under
// other flags, and anything wrong with the file (missing, unreadable, refused) means a plain compile
// and a new cache written by this run. OPSDECK_CODE_CACHE=0: none.
/* global __dirname, require, WebAssembly */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
// CommonJS (build/bundle/package.json says so): Node starts a CommonJS main without loading its ES
// module loader, ~5 ms of CPU less than an ES module bin.
const fs = require('node:fs');
const {createRequire} = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

// React's development build keeps a performance entry per render (the heap grows forever with a
// 1-second poll): production unless told otherwise, set before anything loads React.
process.env.NODE_ENV ??= 'production';

// No V8 flag is set here: one set at run time makes V8 refuse the code cache of every Node built-in
// loaded after it (Node's own, made under the default flags), which are then compiled from their
// source (~10 ms of CPU at a `logs FILE -n 50`, bench P9). The program sets its regex flag when it
// first compiles a user's regex (source/regexp-fallback.ts), having asked for the cache it owes
// first (opsdeck:before-v8-flags, below): a cache is made and read under the default flags.
// Nor any other (bench P5b/P5c, test/bench/FINDINGS.md): --single-threaded-gc and --no-parallel-marking
// crash V8 at the first full GC (a fatal "Check failed: concurrent_marking_handle_"; the console died
// within 20 s); --no-concurrent-recompilation and --no-concurrent-marking change nothing measurable
// when set at run time. On node's own command line they work but do not reach P5b's target.

const buildId = 'BUILD_ID';
const args = process.argv.slice(2);
// the kind of run: help, the first word that names a command, else the console (flag values are not
// commands); one code cache per kind and script (V8 keeps what the run that made it compiled, so a
// cache made by `opsdeck --version` or a command would hold little of the console's code)
const commands = new Set(['COMMANDS']);
const kind = args.some(arg => /^(-h|--help|-v|--version)$/.test(arg)) ? 'help' : args.find(arg => commands.has(arg)) ?? 'console';

// The scripts (the main one 4.3 MB) and their caches (~2 MB) are read into memory that glibc's
// malloc does not hand out: a WebAssembly.Memory, which V8 maps and unmaps itself. A Buffer that big
// is a chunk glibc maps on its own, and freeing one raises glibc's thresholds for good (mmap to the
// chunk's size, trimming to twice that): from then on no malloc arena gave back what V8's compilers
// and parsers had freed, and the idle console kept ~15 MB of freed memory resident (bench P5b/P5c:
// 91 MB, 76 MB with MALLOC_TRIM_THRESHOLD_ set; test/bench/FINDINGS.md). The latin1 string made
// from it is V8's own copy, kept as long as the script (a chunk never freed, so it moves no threshold).
function readWhole(fd, size) {
	const page = 65_536;
	const memory = new WebAssembly.Memory({initial: Math.floor(size / page) + 1});
	let length = 0;
	for (;;) {
		const room = memory.buffer.byteLength - length;
		const read = fs.readSync(fd, new Uint8Array(memory.buffer, length, room), 0, room, null);
		if (read === 0) break;
		length += read;
		// (a file longer than its size said: read on to its end, as readFileSync does)
		if (length === memory.buffer.byteLength) memory.grow(Math.floor(length / page) + 1);
	}
	return Object.assign(Buffer.from(memory.buffer, 0, length), {memory});
}

// The cache's checksum: a 64-bit sum over its data by a WebAssembly function (scripts/code-cache-sum.mjs
// writes its bytes: SUM_WASM), run on the memory readWhole read the file into; ~0.05 ms for a lean
// script's cache, where node:crypto (a sha256) or node:v8 (V8's own checksum, --verify-snapshot-checksum)
// took 4-5 ms to load at every start (bench P9). compiled once, on first need
let sumModule;
function checksum(memory, at, length) {
	sumModule ??= new WebAssembly.Module(Buffer.from('SUM_WASM', 'base64'));
	const sum = new WebAssembly.Instance(sumModule, {m: {memory}}).exports.sum(at, length);
	return BigInt.asUintN(64, sum).toString(16).padStart(16, '0');
}
/** The checksum of data held in ordinary memory: copied into a WebAssembly.Memory (not malloc's: see readWhole) */
function checksumOf(data) {
	const memory = new WebAssembly.Memory({initial: Math.floor(data.length / 65_536) + 1});
	new Uint8Array(memory.buffer).set(data);
	return checksum(memory, 0, data.length);
}

/** Runs one of the bundle's scripts through V8 with its code cache; its module.exports (undefined: an optional script that is not there). */
function runScript(name, cacheKind, optional = false) {
	const file = path.join(__dirname, name);
	// latin1, the cheapest exact decoding of ASCII into a one-byte string (UTF-8 made a two-byte one, ~12
	// ms more at every start): scripts/bundle.mjs escapes every non-ASCII character the script held
	// (esbuild keeps template literals' raw text, so a `…` came out as three characters once)
	// (one descriptor: the identity below is that of the bytes read, not of a file renamed in between)
	let scriptFd;
	try {
		scriptFd = fs.openSync(file, 'r');
	} catch (error) {
		if (optional && error.code === 'ENOENT') return undefined;
		throw error;
	}
	const scriptStat = fs.fstatSync(scriptFd);
	const source = readWhole(scriptFd, scriptStat.size).toString('latin1');
	fs.closeSync(scriptFd);

	// V8 checks only a cache's header (its version, its flags, the source's length) and runs the rest
	// as it is: a damaged body crashed every start (a fatal error, SIGSEGV), and a script patched in
	// place without a new build ran the old code. So the file starts with a line naming this script's
	// identity (build, name, size, mtime, inode), which must be this run's, and the checksum of the data
	// after it, which must match; anything else is not given to V8. (Not a sha256 any more: loading
	// node:crypto was ~5 ms of every start, and a hash without a key stops no one who can write this
	// user's 0600 file; that is what the ownership checks below are for.)
	const identity = `opsdeck code cache 3 ${buildId}:${name}:${scriptStat.size}:${scriptStat.mtimeMs}:${scriptStat.dev}:${scriptStat.ino} `;
	// the line: the identity, 16 hex digits, a newline, padded with spaces to a multiple of 8 bytes (V8
	// copies data that does not start aligned)
	const stampLength = Math.ceil((identity.length + 17) / 8) * 8;
	const stamp = sum => Buffer.from(`${identity}${sum}\n`.padEnd(stampLength, ' '), 'latin1');

	let cacheFile;
	let cached;
	if (process.env.OPSDECK_CODE_CACHE !== '0') {
		try {
			const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
			cacheFile = path.join(base, 'opsdeck', `code-${buildId}-${cacheKind}-${process.version}-${process.arch}.v8`);
			// compiled code is run as it is: only from a folder and a file of this user's that nobody else
			// can write (a shared folder is neither read nor written; an unsafe file in ours is replaced)
			const uid = process.getuid?.();
			const mine = stat => uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
			const dir = fs.lstatSync(path.dirname(cacheFile));
			if (!dir.isDirectory() || !mine(dir)) {
				cacheFile = undefined;
			} else {
				// (O_NONBLOCK: a FIFO planted there would block the open until a writer came; it is not a
				// regular file, so it is ignored below like any other unsafe file)
				const fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
				try {
					const stat = fs.fstatSync(fd);
					// (a cache is ~0.1-2 MB: a file far bigger is not read whole to find it is not one)
					if (stat.isFile() && mine(stat) && stat.size <= 64 * 1024 * 1024) {
						const content = readWhole(fd, stat.size);
						if (content.length > stampLength && content.toString('latin1', 0, identity.length) === identity) {
							const data = content.subarray(stampLength);
							if (content.subarray(0, stampLength).equals(stamp(checksum(content.memory, stampLength, data.length)))) cached = data;
						}
					}
				} finally {
					fs.closeSync(fd);
				}
			}
		} catch {
			cached = undefined;
		}
	}

	// A lean script (optional) that cannot be compiled or run to its exports (damaged: empty,
	// truncated) declines like one that is not there: the main script runs the line, no stack trace.
	let script;
	try {
		script = new vm.Script(source, {filename: file, cachedData: cached});
	} catch (error) {
		if (optional) return undefined;
		throw error;
	}
	let cancelSave;
	if (cacheFile && (cached === undefined || script.cachedDataRejected)) {
		// once this run has compiled what a start needs (the console's first frames, or a command's
		// work), or at its exit if that comes first
		const save = () => {
			process.off('exit', save);
			process.off('opsdeck:before-v8-flags', save);
			clearTimeout(timer);
			let temp;
			try {
				// The folder is made now if it was not there at start (and ~/.cache, but never a home that
				// is not there), then checked again, as at start: it may have been made in between by
				// someone else (XDG_CACHE_HOME in /tmp; a home another user can write, as under sudo -E),
				// with a link at the temp file's name; the temp file is created new, never through a link
				// (a hostile tester had root write the cache over a file of its own that way)
				const folder = path.dirname(cacheFile);
				for (const made of [path.dirname(folder), folder]) {
					try {
						fs.mkdirSync(made, {mode: 0o700});
					} catch (error) {
						if (error.code !== 'EEXIST') throw error;
					}
				}
				const uid = process.getuid?.();
				if (uid !== undefined) {
					const stat = fs.lstatSync(folder);
					if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return;
					// its parent: one that others cannot rename it out of (theirs to write only if sticky)
					const parent = fs.lstatSync(path.dirname(folder));
					if (!parent.isDirectory() || ((parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0)) return;
				}
				// (a folder it cannot write, as under a service's read-only home: not even the data is made)
				fs.accessSync(folder, fs.constants.W_OK);
				const data = script.createCachedData();
				temp = `${cacheFile}.${process.pid}.tmp`;
				// (the two parts written one after the other: a copy of the data would be another big chunk freed)
				const {O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW} = fs.constants;
				let out;
				try {
					out = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
				} catch (error) {
					// something at the temp file's name (not ours to remove)
					temp = undefined;
					throw error;
				}
				try {
					for (const part of [stamp(checksumOf(data)), data]) {
						for (let at = 0; at < part.length; ) at += fs.writeSync(out, part, at);
					}
				} finally {
					fs.closeSync(out);
				}
				fs.renameSync(temp, cacheFile);
				temp = undefined;
			} catch {
				// no cache: the next run compiles as this one did (and no temp file left behind, as when a
				// folder stands at the cache's path and the rename fails)
				if (temp !== undefined) {
					try {
						fs.rmSync(temp, {force: true});
					} catch {
						// (a temp file it cannot remove: nothing more to do)
					}
				}
				return;
			}
			try {
				// other builds' caches: none older than a month (a build in use is rewritten only when V8
				// changes), and only the 32 newest (one per kind of run; a developer's rebuilds would pile up
				// ~1-2 MB each); temp files (code-….v8.PID.tmp) a run that died left: those older than an hour
				// (not one another run is writing now)
				const dir = path.dirname(cacheFile);
				const names = fs.readdirSync(dir);
				for (const name of names.filter(name => /^code-.+\.v8\.\d+\.tmp$/.test(name))) {
					const file = path.join(dir, name);
					const stat = fs.lstatSync(file, {throwIfNoEntry: false});
					if (stat?.isFile() && Date.now() - stat.mtimeMs > 3_600_000) fs.rmSync(file, {force: true});
				}
				const others = names
					.filter(name => /^code-.+\.v8$/.test(name) && !name.startsWith(`code-${buildId}-`))
					.map(name => ({file: path.join(dir, name), at: fs.statSync(path.join(dir, name)).mtimeMs}))
					.sort((a, b) => b.at - a.at);
				for (const [index, other] of others.entries()) {
					if (index >= 32 || Date.now() - other.at > 30 * 86_400_000) fs.rmSync(other.file, {force: true});
				}
			} catch {
				// (the clean-up is best effort)
			}
		};
		const timer = setTimeout(save, 1500).unref();
		process.on('exit', save);
		// the console sets a V8 flag after its first frame (source/console/young-generation.ts), and V8
		// refuses a cache made under other flags than the run reading it: written just before
		process.on('opsdeck:before-v8-flags', save);
		cancelSave = () => {
			process.off('exit', save);
			process.off('opsdeck:before-v8-flags', save);
			clearTimeout(timer);
		};
	}
	const program = {exports: {}};
	try {
		script.runInThisContext()(program.exports, createRequire(file), program, file, path.dirname(file));
	} catch (error) {
		if (!optional) throw error;
		// (no cache written for a script that did not run)
		cancelSave?.();
		return undefined;
	}
	if (optional && typeof program.exports?.start !== 'function') {
		cancelSave?.();
		return undefined;
	}
	return program.exports;
}

// A plain line of a lean command (`opsdeck logs FILE -n 50`): its own small script
// (source/cli/lean.ts), which declines any line the main script would read otherwise (help, a
// problem on the line, a form plain-argv.ts does not read), having done nothing; then the main script.
const lean = new Set(['LEAN']);
// (a copy of the bundle without the lean scripts, or with one damaged, runs every line through the main script)
if (!(lean.has(kind) && runScript(`opsdeck.${kind}.js`, `${kind}.lean`, true)?.start())) runScript('opsdeck.script.js', kind);
