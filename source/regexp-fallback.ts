// Imported first by bin.ts (and by logs/filter.ts, for anything that compiles a user's regex
// without bin.ts): a regex that backtracks too much (`.*A.*A.*X` on a 20,000-character line, which
// held the console at 100% CPU with q, Ctrl-C and SIGTERM ignored) is handed over to V8's
// linear-time engine instead of running for minutes. V8 decides this when a regex is compiled, so
// the flag must be set before any user regex is; it is process-wide (worker threads have it too).
// What that engine cannot take (the i, u and v flags, lookaround, back-references, repeats bounded
// above 16) logs/regex-risk.ts refuses when it could backtrack.
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
