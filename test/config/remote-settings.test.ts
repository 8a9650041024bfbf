// The off-site settings (issue 19): BACKUP_REMOTE parsed into remotes, bad ones refused in one line
// (escaped), secrets registered for masking, S3 path style automatic for a local endpoint.
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/config.js';
import {mask} from '../../source/text/mask.js';

const load = (env: Record<string, string>) => loadConfig({env: {HOME: '/nonexistent', ...env}, cwd: '/tmp'});

describe('BACKUP_REMOTE', () => {
	it('takes several remotes of both kinds', () => {
		const c = load({BACKUP_REMOTE: 's3://acme-backups/chat/prod/, sftp://backup:s3cr3t-pass@vault.example.net:2222/srv/b', BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9000'});
		expect(c.backupRemotes).toEqual([
			{kind: 's3', id: 's3://acme-backups/chat/prod/', bucket: 'acme-backups', prefix: 'chat/prod/'},
			{kind: 'sftp', id: 'sftp://backup@vault.example.net:2222/srv/b', user: 'backup', password: 's3cr3t-pass', host: 'vault.example.net', port: 2222, path: '/srv/b'},
		]);
		expect(c.backupS3.forcePathStyle).toBe(true);
		expect(mask('login s3cr3t-pass failed')).not.toContain('s3cr3t-pass');
		expect(c.thresholds.notOffsiteBackups).toBe(1);
	});

	it.each([
		['ftp://host/x', /is not an s3:\/\/bucket\/prefix or sftp:\/\/user@host\/path URL/],
		['s3://Bad_Bucket/x', /does not name an S3 bucket/],
		['s3://bucket/../x', /"\." or "\.\." in its prefix/],
		['sftp://host/x', /names no user/],
		['s3://a\u001b[2Jb/x', /control characters/],
		['s3://bucket/a,s3://bucket/a/', /is given twice/],
	])('%j is refused in one line', (value, message) => {
		let error: unknown;
		try {
			load({BACKUP_REMOTE: value});
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
	});

	it('wants both AWS keys or neither, a fingerprint that looks like one, an http heartbeat URL', () => {
		expect(() => load({AWS_ACCESS_KEY_ID: 'AKIA123'})).toThrow(/AWS_SECRET_ACCESS_KEY is missing/);
		expect(() => load({BACKUP_SFTP_HOST_KEY: 'abc'})).toThrow(/BACKUP_SFTP_HOST_KEY must be a host key fingerprint/);
		expect(() => load({BACKUP_HEARTBEAT_URL: 'ftp://x'})).toThrow(/BACKUP_HEARTBEAT_URL is not an http/);
		expect(() => load({BACKUP_UPLOAD_RETRIES: '-1'})).toThrow(/BACKUP_UPLOAD_RETRIES must be a whole number/);
	});

	it('takes BACKUP_REMOTE_TIMEOUT_MS for both kinds (default 30 s); refuses 0 and an sftp port 0', () => {
		expect([load({}).backupS3.timeoutMs, load({}).backupSftp.timeoutMs]).toEqual([30_000, 30_000]);
		const c = load({BACKUP_REMOTE_TIMEOUT_MS: '2500'});
		expect([c.backupS3.timeoutMs, c.backupSftp.timeoutMs]).toEqual([2500, 2500]);
		expect(() => load({BACKUP_REMOTE_TIMEOUT_MS: '0'})).toThrow(/BACKUP_REMOTE_TIMEOUT_MS must be a whole number from 100/);
		expect(() => load({BACKUP_REMOTE: 'sftp://u@h:0/p'})).toThrow(/has no usable port \(1-65535\)/);
	});
});
