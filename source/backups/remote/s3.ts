// S3 (or any S3-compatible store: MinIO, s3rver, R2...) through @aws-sdk/client-s3. Uploads go
// through lib-storage's Upload: multipart for a large file (parts sent 4 at a time), one PUT for a
// small one, streamed from disk through a hashing pass-through. The sha256 the sidecar records rides
// along as object metadata; once stored, the size is read back (HEAD) and the bytes' sha256 is
// compared with the sidecar's: a mismatch deletes the object (no half-true copy stays off-site).
import fs from 'node:fs';
import {pipeline} from 'node:stream/promises';
import {DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type ListObjectsV2CommandOutput} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';
import type {S3Settings} from '../../config/remote-settings.js';
import {errorMessage} from '../../text/mask.js';
import {assertRemoteName, hashing, newestFirst, RemoteError, sidecarMaxBytes, sidecarSink, sidecarTooBig, TooBigError, type Remote, type RemoteObject, type Transfer} from './remote.js';
import type {S3Spec} from './spec.js';
import {quote} from '../../text/sanitize.js';

/** part size for multipart uploads (lib-storage's minimum is 5 MiB) */
export const s3PartSize = 16 * 1024 * 1024;
export const s3QueueSize = 4;

export function s3Client(settings: S3Settings): S3Client {
	// the SDK warns on stderr that releases after January 2027 need Node 22: not the operator's concern here
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	return new S3Client({
		region: settings.region,
		...(settings.endpoint ? {endpoint: settings.endpoint} : {}),
		forcePathStyle: settings.forcePathStyle,
		...(settings.accessKeyId && settings.secretAccessKey ? {credentials: {accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, ...(settings.sessionToken ? {sessionToken: settings.sessionToken} : {})}} : {}),
		...(settings.profile ? {profile: settings.profile} : {}),
		// s3rver and older S3-compatible stores do not know the CRC32 trailers SDK 3.7xx+ sends by default
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		// an endpoint that accepts and never answers: the socket idle for timeoutMs fails the request (a
		// retryable RemoteError); requestTimeout is only a backstop for a whole request (a 16 MiB part on a
		// slow link may take minutes) and throws instead of the SDK's warning that waited forever
		// (the options of the SDK's NodeHttpHandler, which it builds from them: no direct dependency on @smithy)
		requestHandler: {
			connectionTimeout: Math.min(5_000, settings.timeoutMs),
			socketTimeout: settings.timeoutMs,
			requestTimeout: Math.max(600_000, settings.timeoutMs),
			throwOnRequestTimeout: true,
		},
	});
}

/** An SDK error in words: the S3 error code and message, the HTTP status, or the network reason. */
function reason(error: unknown): string {
	const e = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}; code?: string; Code?: string};
	const status = e?.$metadata?.httpStatusCode;
	const code = e?.Code ?? e?.name;
	if (status && code && code !== 'Error') return `${code}${e.message && e.message !== code && e.message !== 'UnknownError' ? `: ${e.message}` : ''} (HTTP ${status})`;
	return errorMessage(error);
}

/** the most pages a listing may take (1,000 keys each: 10 million objects); more is a listing that does not end */
export const s3MaxListPages = 10_000;

/**
 * S3 error codes that trying again will not change (a wrong key or secret, no permission, no such
 * bucket): not retried, as a failed SFTP login is not.
 */
const permanentCodes = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'NoSuchBucket', 'InvalidBucketName', 'AllAccessDisabled', 'AccountProblem']);

function permanent(error: unknown): boolean {
	const e = error as {name?: string; Code?: string};
	return permanentCodes.has(e?.Code ?? '') || permanentCodes.has(e?.name ?? '');
}

export function openS3(settings: S3Settings, spec: S3Spec): Remote {
	const client = s3Client(settings);
	const key = (name: string) => `${spec.prefix}${name}`;
	const fail = (what: string, error: unknown, retryable = true): never => {
		throw new RemoteError(spec.id, `${what}: ${reason(error)}`, {retryable: retryable && !permanent(error), cause: error});
	};
	const remote: Remote = {
		spec,
		async list() {
			const objects = new Map<string, {size: number; modified: number}>();
			const sidecars = new Set<string>();
			let token: string | undefined;
			// a server whose listing never ends (IsTruncated with a token it gave before, or page after page
			// without end) would keep this loop going forever
			const seen = new Set<string>();
			let pages = 0;
			do {
				if (token !== undefined) {
					// retryable (as any listing that fails: exit 1, a remote that failed, not a refusal of ours)
					if (seen.has(token)) throw new RemoteError(spec.id, 'cannot list: the server\'s listing does not end (continuation token repeated)');
					seen.add(token);
				}
				if (++pages > s3MaxListPages) throw new RemoteError(spec.id, `cannot list: the server's listing does not end (more than ${s3MaxListPages} pages)`);
				let page: ListObjectsV2CommandOutput;
				try {
					page = await client.send(new ListObjectsV2Command({Bucket: spec.bucket, Prefix: spec.prefix, Delimiter: '/', ContinuationToken: token}));
				} catch (error) {
					return fail('cannot list', error);
				}
				for (const object of page.Contents ?? []) {
					const name = (object.Key ?? '').slice(spec.prefix.length);
					if (name.endsWith('.db.json')) sidecars.add(name.slice(0, -5));
					else if (name.endsWith('.db') && !name.startsWith('.')) objects.set(name, {size: object.Size ?? 0, modified: object.LastModified?.getTime() ?? 0});
				}
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token);
			const list: RemoteObject[] = [...objects].map(([name, o]) => ({name, sizeBytes: o.size, modifiedAt: o.modified, hasSidecar: sidecars.has(name)}));
			return newestFirst(list);
		},
		async upload(file, sidecar, onProgress, expectedSha256) {
			const name = file.split('/').pop()!;
			assertRemoteName(name);
			const total = fs.statSync(file).size;
			const hasher = hashing();
			const source = fs.createReadStream(file, {highWaterMark: 1024 * 1024});
			source.on('error', error => hasher.destroy(error));
			source.pipe(hasher);
			const upload = new Upload({
				client,
				params: {Bucket: spec.bucket, Key: key(name), Body: hasher, ContentLength: total, ContentType: 'application/vnd.sqlite3', ...(expectedSha256 ? {Metadata: {sha256: expectedSha256}} : {})},
				partSize: s3PartSize,
				queueSize: s3QueueSize,
				leavePartsOnError: false,
			});
			upload.on('httpUploadProgress', p => onProgress?.(p.loaded ?? 0, total));
			try {
				await upload.done();
			} catch (error) {
				source.destroy();
				return fail(`upload of ${name} failed`, error);
			}
			const sent: Transfer = hasher.done();
			try {
				const head = await client.send(new HeadObjectCommand({Bucket: spec.bucket, Key: key(name)}));
				if (head.ContentLength === undefined) throw new RemoteError(spec.id, `${name} was sent but its size there is unknown (the server's answer has no Content-Length): not counted as stored`, {retryable: false});
				if (head.ContentLength !== sent.sizeBytes) throw new RemoteError(spec.id, `${name} is ${head.ContentLength} bytes there, ${sent.sizeBytes} were sent`);
			} catch (error) {
				if (error instanceof RemoteError) throw error;
				return fail(`${name} was sent but cannot be read back`, error);
			}
			if (expectedSha256 && sent.sha256 !== expectedSha256) {
				await client.send(new DeleteObjectsCommand({Bucket: spec.bucket, Delete: {Objects: [{Key: key(name)}]}})).catch(() => undefined);
				throw new RemoteError(spec.id, `the bytes sent of ${name} do not have the sha256 its sidecar records (the file changed): the copy was removed`, {retryable: false});
			}
			if (sidecar) {
				try {
					await client.send(new PutObjectCommand({Bucket: spec.bucket, Key: key(`${name}.json`), Body: await fs.promises.readFile(sidecar), ContentType: 'application/json'}));
				} catch (error) {
					return fail(`the sidecar of ${name} was not stored`, error);
				}
			}
			onProgress?.(total, total);
			return sent;
		},
		async download(name, dest, onProgress, maxBytes) {
			assertRemoteName(name);
			let body: NodeJS.ReadableStream & {destroy?(): void};
			let total = 0;
			try {
				const got = await client.send(new GetObjectCommand({Bucket: spec.bucket, Key: key(name)}));
				body = got.Body as NodeJS.ReadableStream;
				total = got.ContentLength ?? 0;
			} catch (error) {
				const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
				return fail(status === 404 ? `no backup named ${quote(name)}` : `cannot download ${name}`, error, status !== 404);
			}
			const tooMany = maxBytes === undefined ? undefined : {maxBytes, error: (got: number) => new TooBigError(spec.id, name, maxBytes, got)};
			if (maxBytes !== undefined && total > maxBytes) {
				body.destroy?.();
				throw new TooBigError(spec.id, name, maxBytes, total, true);
			}
			const hasher = hashing(done => onProgress?.(done, total), tooMany);
			try {
				await pipeline(body, hasher, fs.createWriteStream(dest, {mode: 0o600, flags: 'wx'}));
			} catch (error) {
				if (error instanceof RemoteError) throw error;
				return fail(`download of ${name} failed`, error);
			}
			return hasher.done();
		},
		async readSidecar(name) {
			assertRemoteName(name);
			try {
				const got = await client.send(new GetObjectCommand({Bucket: spec.bucket, Key: key(`${name}.json`)}));
				const body = got.Body as (NodeJS.ReadableStream & {destroy?(): void}) | undefined;
				if (!body) return undefined;
				if ((got.ContentLength ?? 0) > sidecarMaxBytes) {
					body.destroy?.();
					throw sidecarTooBig(spec.id, name);
				}
				// read at most sidecarMaxBytes, whatever the Content-Length said (pipeline destroys the body on a refusal)
				const sink = sidecarSink(spec.id, name);
				await pipeline(body, sink);
				return sink.text();
			} catch (error) {
				if (error instanceof RemoteError) throw error;
				if ((error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode === 404) return undefined;
				return fail(`cannot read the sidecar of ${name}`, error);
			}
		},
		async delete(name) {
			assertRemoteName(name);
			try {
				await client.send(new HeadObjectCommand({Bucket: spec.bucket, Key: key(name)}));
			} catch (error) {
				const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
				return fail(status === 404 ? `no backup named ${quote(name)}` : `cannot delete ${name}`, error, false);
			}
			try {
				await client.send(new DeleteObjectsCommand({Bucket: spec.bucket, Delete: {Objects: [{Key: key(name)}, {Key: key(`${name}.json`)}]}}));
			} catch (error) {
				return fail(`cannot delete ${name}`, error);
			}
		},
		async close() {
			client.destroy();
		},
	};
	return remote;
}
