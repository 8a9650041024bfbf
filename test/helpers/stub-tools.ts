// systemd is not PID 1 on these machines (systemctl: "System has not been booted with systemd"),
// so the systemd: and LOG_UNIT paths are tested on recorded output: a stand-in `journalctl` and
// `systemctl` early on PATH that print a fixture written in the format of systemd 252's (Debian
// 12) and log the arguments they were given. They do not emulate systemd: they replay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type StubTools = {
	readonly bin: string;
	/** PATH with the stand-ins first */
	readonly path: string;
	/** each call's arguments, one line a call: `journalctl --unit=…` */
	calls(): string[];
	cleanup(): void;
};

/**
 * journalctl prints `journal` (a JSON-lines file; reversed with --reverse, from --cursor's entry on); systemctl show prints
 * the file named by $STUB_SHOW (so a test can change it between calls), and systemctl restart
 * prints $STUB_RESTART_ERR on stderr and exits 1 when that is set.
 */
export function stubTools(files: {journal?: string; show?: string}): StubTools {
	const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-stubs-'));
	const calls = path.join(bin, 'calls.txt');
	fs.writeFileSync(calls, '');
	const record = `printf '%s\\n' "$(basename "$0") $*" >> '${calls}'`;
	// --reverse: newest first; --cursor=C: from that entry on (the one thing of journalctl's it acts on)
	const journal = files.journal ?? '/dev/null';
	fs.writeFileSync(
		path.join(bin, 'journalctl'),
		`#!/bin/sh\n${record}\ncursor=$(printf '%s\\n' "$@" | sed -n 's/^--cursor=//p')\ncase " $* " in *" --reverse "*) show="tac '${journal}'";; *) show="cat '${journal}'";; esac\nif [ -n "$cursor" ]; then eval "$show" | sed -n "/$cursor/,\\$p"; else eval "$show"; fi\n`,
		{mode: 0o755},
	);
	fs.writeFileSync(
		path.join(bin, 'systemctl'),
		`#!/bin/sh\n${record}\ncase "$1" in\n  show) cat "\${STUB_SHOW:-${files.show ?? '/dev/null'}}";;\n  restart) if [ -n "$STUB_RESTART_ERR" ]; then echo "$STUB_RESTART_ERR" >&2; exit 1; fi;;\nesac\n`,
		{mode: 0o755},
	);
	return {
		bin,
		path: `${bin}:${process.env.PATH ?? ''}`,
		calls: () => fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean),
		cleanup: () => fs.rmSync(bin, {recursive: true, force: true}),
	};
}
