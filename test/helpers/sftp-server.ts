// A real SFTP server on loopback for the off-site tests: `rclone serve sftp` on a temp dir, on a free
// port, with a host key generated for it (ssh-keygen), a user with a password and a client key in
// its authorized_keys. knownHosts is a known_hosts line for it; wrongKnownHosts names another key.
import {type ChildProcess, spawn, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {onProcessExit} from './exit-cleanup.js';
import {freePort} from './ports.js';
import {waitFor} from './wait.js';

export type SftpServerHandle = {
	readonly port: number;
	readonly user: string;
	readonly password: string;
	/** the folder it serves (the remote path `/x` is `root/x`) */
	readonly root: string;
	/** the client's private key file (OpenSSH format, no passphrase) */
	readonly clientKey: string;
	/** a known_hosts file that holds the server's host key */
	readonly knownHosts: string;
	/** a known_hosts file that holds another key for the same host and port */
	readonly wrongKnownHosts: string;
	/** sftp://user@127.0.0.1:PORT/PATH */
	url(remotePath: string): string;
	close(): Promise<void>;
};

function keygen(file: string): string {
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opsdeck-test', '-f', file], {stdio: 'ignore'});
	return fs.readFileSync(`${file}.pub`, 'utf8').trim();
}

function knownHostsLine(port: number, publicKey: string): string {
	const [type, blob] = publicKey.split(' ');
	return `[127.0.0.1]:${port} ${type} ${blob}\n`;
}

const running = new Set<ChildProcess>();
let hooked = false;

export async function startSftpServer(): Promise<SftpServerHandle> {
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sftp-'));
	const root = path.join(base, 'root');
	fs.mkdirSync(root);
	const hostKey = path.join(base, 'host_key');
	const hostPublic = keygen(hostKey);
	const otherPublic = keygen(path.join(base, 'other_host_key'));
	const clientKey = path.join(base, 'client_key');
	const clientPublic = keygen(clientKey);
	const authorized = path.join(base, 'authorized_keys');
	fs.writeFileSync(authorized, `${clientPublic}\n`);
	const port = await freePort();
	const user = 'backup';
	const password = 'sftp-test-password-1';
	const child = spawn('rclone', ['serve', 'sftp', root, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', password, '--key', hostKey, '--authorized-keys', authorized, '--config', '/dev/null', '-q'], {stdio: 'ignore'});
	running.add(child);
	child.once('exit', () => running.delete(child));
	if (!hooked) {
		hooked = true;
		onProcessExit(() => {
			for (const c of running) c.kill('SIGKILL');
		});
	}
	await waitFor(() => new Promise<boolean>(resolve => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('data', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	}), {timeout: 15_000, message: "rclone serve sftp did not start"});
	const knownHosts = path.join(base, 'known_hosts');
	fs.writeFileSync(knownHosts, knownHostsLine(port, hostPublic));
	const wrongKnownHosts = path.join(base, 'wrong_known_hosts');
	fs.writeFileSync(wrongKnownHosts, knownHostsLine(port, otherPublic));
	return {
		port,
		user,
		password,
		root,
		clientKey,
		knownHosts,
		wrongKnownHosts,
		url: remotePath => `sftp://${user}@127.0.0.1:${port}/${remotePath.replace(/^\//, '')}`,
		async close() {
			if (child.exitCode === null) {
				const gone = new Promise(resolve => child.once('exit', resolve));
				child.kill('SIGTERM');
				await gone;
			}
			fs.rmSync(base, {recursive: true, force: true});
		},
	};
}
