// A regex that backtracks too much (`.*A.*A.*X` on a 20,000-character line, which held the console
// at 100% CPU with q, Ctrl-C and SIGTERM ignored) is handed over to V8's linear-time engine instead
// of running for minutes. V8 decides this when a regex is compiled, so the flag must be set before
// any user regex is: logs/filter.ts's grepRegex (--grep, the Logs tab's `/` with a regex) calls
// regexpFallback() just before it compiles one. The flag is process-wide (worker threads have it too).
// What that engine cannot take (the i, u and v flags, lookaround, back-references, repeats bounded
// above 16) logs/regex-risk.ts refuses when it could backtrack.
//
// Set on first need, not as the program loads: a V8 flag set at run time makes V8 refuse the code
// cache of every Node built-in loaded after it (the cache Node ships was made under the default
// flags), so each was compiled from its source: ~10 ms of CPU at every `logs FILE -n 50`, which
// compiles no user regex (bench P9, test/bench/FINDINGS.md).

let set = false;

export function regexpFallback(): void {
	if (set) return;
	set = true;
	// V8 refuses a code cache made under other flags than the run reading it: the bundle's loader
	// (scripts/code-cache-loader.cjs) writes the one it owes now, before the flag changes
	process.emit('opsdeck:before-v8-flags' as 'exit', 0);
	process.getBuiltinModule('node:v8').setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}
