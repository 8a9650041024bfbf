// Runs the built CLI as a one-shot command, no TTY, and returns its exit code and output. The
// bundle (`npm run build` first): what package.json's bin runs, and a third less CPU to start than
// the tsc build's hundreds of modules (every spawn of the suite pays it).
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const binPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'bundle', 'bin.js');

export type CliResult = {readonly code: number | null; readonly stdout: string; readonly stderr: string};

export function runCli(args: readonly string[], options: {env?: Record<string, string>; cwd?: string; input?: string} = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const env: Record<string, string> = {};
		for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPSDECK_') && k !== 'REDIS_URL' && k !== 'DATABASE_URL') env[k] = v;
		const child = spawn(process.execPath, [binPath, ...args], {cwd: options.cwd, env: {...env, ...options.env}, stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.once('error', reject);
		child.once('close', code => resolve({code, stdout, stderr}));
		child.stdin.end(options.input ?? '');
	});
}
