// P10: upload of a ~500 MB backup to a local S3 server (s3rver on loopback, in this process) —
// opsdeck's uploadBackup() (the upload after every backup: streamed, multipart, the sha256 of the
// bytes sent computed on the way and compared with the sidecar's, the size read back, the result
// written into the sidecar) vs a bare lib-storage Upload of the same file with the same part size
// and queue (no checksum, no read-back).
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import S3rver from 's3rver';
import {DeleteObjectsCommand} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';
import {createBackup} from '../../../build/backups/backups.js';
import {uploadBackup} from '../../../build/backups/remote/offsite.js';
import {s3Client, s3PartSize, s3QueueSize} from '../../../build/backups/remote/s3.js';
import {parseRemote} from '../../../build/backups/remote/spec.js';
import {alternate, now} from '../lib/stats.mjs';

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

export const P10 = {
	id: 'P10',
	work: 'upload of a ~500 MB backup to a local S3 server',
	opsdeckCommand: 'uploadBackup() (what every backup does with BACKUP_REMOTE=s3://…): streamed multipart upload (16 MiB parts, 4 at a time), sha256 of the bytes sent checked against the sidecar, size read back (HEAD), the sidecar uploaded and the result recorded in it',
	baselineCommand: 'new Upload({client, params: {Bucket, Key, Body: fs.createReadStream(FILE)}, partSize: 16 MiB, queueSize: 4}).done()',
	target: {kind: 'ratio', max: 1.1},
	async run(ctx) {
		const data = ctx.dataFile();
		const dir = path.join(ctx.tmp, 'p10-backups');
		fs.rmSync(dir, {recursive: true, force: true});
		const backup = await createBackup({sqlitePath: data.file, backupDir: dir});
		const port = await freePort();
		const store = path.join(ctx.tmp, 'p10-s3');
		const server = new S3rver({port, address: '127.0.0.1', silent: true, directory: store, configureBuckets: [{name: 'bench', configs: []}]});
		await server.run();
		const settings = {endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER'};
		const spec = parseRemote('s3://bench/opsdeck');
		const config = {backupDir: dir, backupRemotes: [spec], backupS3: settings, backupSftp: {}, backupUploadRetries: 0, backupUploadBackoffMs: 0};
		const client = s3Client(settings);
		const clear = () => client.send(new DeleteObjectsCommand({Bucket: 'bench', Delete: {Objects: [{Key: `opsdeck/${backup.name}`}, {Key: `opsdeck/${backup.name}.json`}, {Key: 'bare/backup.db'}]}}));
		try {
			const samples = await alternate(ctx.reps, async () => {
				await clear();
				const t = now();
				const result = await uploadBackup(config, spec, backup.name);
				const ms = now() - t;
				if (!result.ok || result.sha256 !== backup.meta.sha256) throw new Error(`upload failed: ${result.error}`);
				return ms;
			}, async () => {
				await clear();
				const t = now();
				await new Upload({client, params: {Bucket: 'bench', Key: 'bare/backup.db', Body: fs.createReadStream(backup.path)}, partSize: s3PartSize, queueSize: s3QueueSize}).done();
				return now() - t;
			}, {log: ctx.log});
			await clear();
			return {...samples, note: `${(backup.sizeBytes / 1048576).toFixed(0)} MB, ${Math.ceil(backup.sizeBytes / s3PartSize)} parts, s3rver on 127.0.0.1 in the bench's process`};
		} finally {
			client.destroy();
			await server.close();
			fs.rmSync(store, {recursive: true, force: true});
			fs.rmSync(dir, {recursive: true, force: true});
		}
	},
};
