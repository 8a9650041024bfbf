// Every command-line flag opsdeck knows, in one place: meow rejects any other.
// Commands read the ones they need from the parsed Flags.
export const flagSpec = {
	// backends and settings (config.ts)
	redisUrl: {type: 'string'},
	databaseUrl: {type: 'string'},
	sqlite: {type: 'string'},
	backupDir: {type: 'string'},
	interval: {type: 'string'},
	readOnly: {type: 'boolean'},
	appUrl: {type: 'string'},
	port: {type: 'string'},
	host: {type: 'string'},
	config: {type: 'string'},
	auditLog: {type: 'string'},
	// output and confirmation
	json: {type: 'boolean'},
	plain: {type: 'boolean'},
	yes: {type: 'boolean', shortFlag: 'y'},
	force: {type: 'boolean'},
	// command options
	all: {type: 'boolean'},
	type: {type: 'string'},
	limit: {type: 'string'},
	messages: {type: 'string'},
	reactions: {type: 'boolean'},
	compare: {type: 'boolean'},
	clear: {type: 'boolean'},
	integrity: {type: 'boolean'},
	manual: {type: 'boolean'},
	format: {type: 'string'},
	output: {type: 'string'},
	traffic: {type: 'boolean'},
	chats: {type: 'string'},
	rate: {type: 'string'},
	minDuration: {type: 'string'},
	version: {type: 'boolean', shortFlag: 'v'},
	help: {type: 'boolean', shortFlag: 'h'},
} as const;

export type Flags = {
	redisUrl?: string;
	databaseUrl?: string;
	sqlite?: string;
	backupDir?: string;
	interval?: string;
	readOnly?: boolean;
	appUrl?: string;
	port?: string;
	host?: string;
	config?: string;
	auditLog?: string;
	json?: boolean;
	plain?: boolean;
	yes?: boolean;
	force?: boolean;
	all?: boolean;
	type?: string;
	limit?: string;
	messages?: string;
	reactions?: boolean;
	compare?: boolean;
	clear?: boolean;
	integrity?: boolean;
	manual?: boolean;
	format?: string;
	output?: string;
	traffic?: boolean;
	chats?: string;
	rate?: string;
	minDuration?: string;
};
