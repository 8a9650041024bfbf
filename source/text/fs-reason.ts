// Why a file operation failed, in the words an operator reads (issue 16, point 7): the one map from
// an errno code to a sentence. Before it there were three (the audit log's, the backup folder's and
// ensure-dir's), and everything else printed the raw code: "ENOENT", "(EACCES)", "EISDIR".
// Pure words: nothing here touches the filesystem (system/file-owner.ts adds who owns what).

const reasons: Readonly<Record<string, string>> = {
	ENOENT: 'it does not exist',
	ENOTDIR: 'a parent of it is not a folder',
	EISDIR: 'it is a folder',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EROFS: 'read-only filesystem',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'disk quota exceeded',
	ELOOP: 'a loop of symlinks',
	ENAMETOOLONG: 'the name is too long',
	EMFILE: 'too many open files',
	ENFILE: 'too many open files',
	EBUSY: 'it is busy',
	ETXTBSY: 'it is busy',
	EIO: 'disk I/O error',
	EXDEV: 'it is on another filesystem',
	ENOTEMPTY: 'the folder is not empty',
	EEXIST: 'it already exists',
	ENXIO: 'no such device',
	ENODEV: 'no such device',
	ENOTSUP: 'not supported by this filesystem',
};

/** The code an error carries (Node's `code`, or SQLite's SQLITE_CANTOPEN etc.), '' when none. */
export function errorCode(error: unknown): string {
	const code = (error as {code?: unknown} | null | undefined)?.code;
	return typeof code === 'string' ? code : '';
}

/** The errno code in words ("permission denied"), or undefined when it is not a file error we know. */
export function fsReason(error: unknown): string | undefined {
	return reasons[errorCode(error)];
}

// what the failed system call was doing, as a verb: "cannot open /x: it does not exist"
const verbs: Readonly<Record<string, string>> = {
	open: 'open',
	read: 'read',
	write: 'write to',
	stat: 'read',
	lstat: 'read',
	fstat: 'read',
	access: 'read',
	scandir: 'list',
	opendir: 'list',
	readdir: 'list',
	mkdir: 'create',
	rmdir: 'remove',
	rm: 'remove',
	unlink: 'remove',
	rename: 'rename',
	copyfile: 'copy',
	chmod: 'change the mode of',
	fchmod: 'change the mode of',
	chown: 'change the owner of',
	fchown: 'change the owner of',
	realpath: 'resolve',
	readlink: 'read the link',
	symlink: 'create the link',
	link: 'link',
	utime: 'touch',
	fsync: 'write to',
	statfs: 'read',
};

/**
 * A connection to a unix socket that failed on the file itself (PGHOST=/run/postgresql, a redis
 * socket): "connect ENOENT /x/.s.PGSQL.5432" as a sentence. undefined for anything else.
 */
export function socketErrorSentence(error: unknown): string | undefined {
	const {syscall, address} = (error ?? {}) as {syscall?: unknown; address?: unknown};
	if (syscall !== 'connect' || typeof address !== 'string' || !address.startsWith('/')) return undefined;
	const code = errorCode(error);
	if (code === 'ENOENT') return `no socket at ${address} (is the server running, and is that its socket folder?)`;
	if (code === 'ECONNREFUSED') return `nothing answers on the socket ${address} (a socket file left by a server that stopped?)`;
	const reason = reasons[code];
	return reason ? `cannot connect to the socket ${address}: ${reason}` : undefined;
}

/**
 * A file error from Node (`ENOENT: no such file or directory, open '/x'`) as one sentence:
 * "cannot open /x: it does not exist". undefined when the error is not one with a known code and a path.
 */
export function fsErrorSentence(error: unknown): string | undefined {
	const reason = fsReason(error);
	const {path, syscall} = (error ?? {}) as {path?: unknown; syscall?: unknown};
	if (!reason || typeof path !== 'string') return undefined;
	const verb = typeof syscall === 'string' ? verbs[syscall] ?? syscall : 'use';
	// listing a file: the path itself is the part that is not a folder
	if (errorCode(error) === 'ENOTDIR' && verb === 'list') return `cannot list ${path}: it is not a folder`;
	return `cannot ${verb} ${path}: ${reason}`;
}
