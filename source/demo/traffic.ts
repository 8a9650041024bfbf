// opsdeck demo --traffic: writes like the live app until the signal aborts. Each step (200 ms) the
// messages due at the rate go to PostgreSQL first, then to the cache (ZADD, trim to the maximum
// with ZREMRANGEBYRANK, TTL refreshed); reactions are HINCRBY; now and then a message is deleted
// from both stores or a new chat opens. A failing store is counted and retried next step.
// Each step runs in one PostgreSQL transaction holding the demo's seed lock shared (Redis written
// inside it too): a `demo --force` waits for the step, and while it reseeds (lock taken, or its
// "redis pending" marker still set) the steps wait quietly, then reload the new chats.
import type {Backends} from '../backends/index.js';
import {errorMessage} from '../text/mask.js';
import {between, chatCode, makeMessage, makeUsers, messageJson, pick, seededRandom, type DemoMessage, type DemoUser, type Random} from './data.js';
import {chatNames, reactionNames} from './words.js';
import {demoSql, insertChats, insertMessages, parseMarker, seedLockName, type Queryable} from './postgres.js';
import {runCommands, type RedisCommand} from './redis.js';
import {keyFor} from '../cache/layout.js';

type Deps = Pick<Backends, 'config' | 'redis' | 'postgres'>;

export type TrafficCounts = {
	messages: number;
	reactions: number;
	deleted: number;
	/** cached messages trimmed off the end to keep each chat at the maximum */
	trimmed: number;
	newChats: string[];
	errors: number;
	lastError?: string;
	/** steps spent waiting for a reseed (demo --force) to finish */
	waiting?: number;
};

export type TrafficOptions = {
	/** messages per second */
	readonly rate: number;
	readonly signal: AbortSignal;
	/** called about once a second with what was written since the last call, and the totals */
	readonly onTick?: (tick: TrafficCounts, totals: TrafficCounts) => void;
	readonly tickMs?: number;
	readonly stepMs?: number;
	readonly random?: Random;
	/** a new chat opens about this often (default a minute) */
	readonly newChatEveryMs?: number;
};

class CacheError extends Error {}

type LiveChat = {code: string; users: DemoUser[]; host: DemoUser; weight: number; recent: Array<{id: string; ms: number}>};

const emptyCounts = (): TrafficCounts => ({messages: 0, reactions: 0, deleted: 0, trimmed: 0, newChats: [], errors: 0, waiting: 0});

/** Which seed the chats table is: a reseed drops and creates it, so its oid changes. */
async function generationOf(deps: Deps): Promise<string | null> {
	const [row] = await deps.postgres.query<{oid: string | null}>('select to_regclass($1)::oid::text as oid', [demoSql(deps.config.collections).chats]);
	return row?.oid ?? null;
}

/** The chats, who talks in them and their newest messages, from PostgreSQL. */
async function loadChats(deps: Deps, random: Random): Promise<LiveChat[]> {
	const s = demoSql(deps.config.collections);
	const [chats, users, recent] = await Promise.all([
		deps.postgres.query<{code: string; n: string}>(`select c.code, count(m.${s.id}) as n from ${s.chats} c left join ${s.messages} m on m.${s.chat} = c.code group by c.code`, [], {timeoutMs: 15_000}),
		deps.postgres.query<{chat: string; username: string; badges: string[] | null}>(
			`select distinct on (${s.chat}, ${s.username}) ${s.chat} as chat, ${s.username} as username, badges from ${s.messages} order by ${s.chat}, ${s.username}, ${s.createdAt} desc`, [], {timeoutMs: 15_000}),
		deps.postgres.query<{chat: string; id: string; created: Date}>(
			`select chat, id, created from (select ${s.chat} as chat, ${s.id}::text as id, ${s.createdAt} as created,
				row_number() over (partition by ${s.chat} order by ${s.createdAt} desc) as rn from ${s.messages}) t where rn <= 20`, [], {timeoutMs: 15_000}),
	]);
	const live = new Map<string, LiveChat>();
	// busier chats get more traffic, but not all of it: a full cache's count cannot move (it is trimmed)
	for (const c of chats) live.set(c.code, {code: c.code, users: [], host: {username: 'host', badges: ['host']}, weight: 1 + Math.sqrt(Number(c.n)) / 5, recent: []});
	for (const u of users) {
		const chat = live.get(u.chat);
		if (!chat) continue;
		const user = {username: u.username, badges: u.badges ?? []};
		chat.users.push(user);
		if (user.badges.includes('host')) chat.host = user;
	}
	for (const r of recent) live.get(r.chat)?.recent.unshift({id: r.id, ms: r.created.getTime()});
	for (const chat of live.values()) {
		if (chat.users.length === 0) chat.users = makeUsers(random, 6);
		if (!chat.users.includes(chat.host)) chat.host = chat.users[0]!;
	}
	return [...live.values()];
}

function pickWeighted(random: Random, chats: readonly LiveChat[]): LiveChat {
	const total = chats.reduce((n, c) => n + c.weight, 0);
	let r = random() * total;
	for (const chat of chats) {
		r -= chat.weight;
		if (r <= 0) return chat;
	}
	return chats.at(-1)!;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>(resolve => {
	if (signal.aborted) return resolve();
	const timer = setTimeout(done, ms);
	function done() {
		clearTimeout(timer);
		signal.removeEventListener('abort', done);
		resolve();
	}
	signal.addEventListener('abort', done, {once: true});
});

function add(into: TrafficCounts, from: TrafficCounts): void {
	into.messages += from.messages;
	into.reactions += from.reactions;
	into.deleted += from.deleted;
	into.trimmed += from.trimmed;
	into.newChats.push(...from.newChats);
	into.errors += from.errors;
	into.waiting = (into.waiting ?? 0) + (from.waiting ?? 0);
	if (from.lastError) into.lastError = from.lastError;
}

export async function runTraffic(deps: Deps, options: TrafficOptions): Promise<TrafficCounts> {
	const layout = deps.config.collections;
	const random = options.random ?? seededRandom(Math.floor(Math.random() * 2 ** 32));
	const stepMs = options.stepMs ?? 200;
	const tickMs = options.tickMs ?? 1000;
	let generation: string | null | undefined = await generationOf(deps);
	let chats = await loadChats(deps, random);
	const lockName = seedLockName(layout);
	const totals = emptyCounts();
	let tick = emptyCounts();
	let due = 0;
	let last = Date.now();
	let lastTick = last;

	/** 'wait' while a reseed runs or is unfinished, 'reload' once a new seed is in place */
	const step = async (now: number, dt: number): Promise<'done' | 'wait' | 'reload'> => {
		let cacheError: unknown;
		const outcome = await deps.postgres.transaction(async client => {
			const [gate] = (await client.query<{free: boolean; oid: string | null; comment: string | null}>(
				`select pg_try_advisory_xact_lock_shared(hashtext($1)) as free, to_regclass($2)::oid::text as oid, obj_description(to_regclass($2), 'pg_class') as comment`,
				[lockName, demoSql(layout).chats],
			)).rows;
			if (!gate?.free || parseMarker(gate.comment).pending) return 'wait' as const;
			if (gate.oid !== generation) return 'reload' as const;
			try {
				await write(client, now, dt);
			} catch (error) {
				// the database has the messages: commit them, then report the cache
				if (!(error instanceof CacheError)) throw error;
				cacheError = error;
			}
			return 'done' as const;
		});
		if (cacheError) throw cacheError;
		return outcome;
	};

	const write = async (client: Queryable, now: number, dt: number) => {
		due += (options.rate * dt) / 1000;
		const count = Math.floor(due);
		due -= count;
		// about one new chat a minute (and always one when there are none)
		if (chats.length === 0 || random() < dt / (options.newChatEveryMs ?? 60_000)) {
			const code = chatCode(random);
			const users = makeUsers(random, between(random, 4, 12));
			const host = {username: users[0]!.username, badges: ['host']};
			await insertChats(client, layout, [{code, name: `${pick(random, chatNames)} ${between(random, 2, 99)}`}]);
			chats.push({code, users: [host, ...users.slice(1)], host, weight: 2, recent: []});
			tick.newChats.push(code);
		}
		const fresh: DemoMessage[] = [];
		for (let i = 0; i < count; i++) {
			const chat = pickWeighted(random, chats);
			const m = makeMessage(random, chat, now + i);
			fresh.push(m);
		}
		const doomed: Array<{chat: LiveChat; id: string; ms: number}> = [];
		for (let i = 0; i < count; i++) {
			if (random() >= 0.03) continue;
			const chat = pickWeighted(random, chats);
			const victim = chat.recent.length > 3 ? chat.recent.splice(Math.floor(random() * (chat.recent.length - 1)), 1)[0] : undefined;
			if (victim) doomed.push({chat, ...victim});
		}
		const s = demoSql(layout);
		if (fresh.length > 0) await insertMessages(client, layout, fresh);
		tick.messages += fresh.length;
		if (doomed.length > 0) await client.query(`delete from ${s.messages} where ${s.id} = any($1::uuid[])`, [doomed.map(d => d.id)]);
		tick.deleted += doomed.length;
		for (const m of fresh) {
			const chat = chats.find(c => c.code === m.chat_code)!;
			chat.recent.push({id: m.id, ms: m.createdMs});
			if (chat.recent.length > 40) chat.recent.shift();
		}

		// the cache: new messages, trimmed and TTL refreshed per chat; reactions; deletes
		const commands: RedisCommand[] = [];
		const trims: number[] = [];
		for (const code of new Set(fresh.map(m => m.chat_code))) {
			const key = keyFor(layout.messages, {chat: code});
			const args = fresh.filter(m => m.chat_code === code).flatMap(m => [m.createdMs, messageJson(m)]);
			commands.push(['zadd', key, ...args]);
			trims.push(commands.push(['zremrangebyrank', key, 0, -(layout.maxMessages + 1)]) - 1);
			commands.push(['expire', key, layout.ttlSeconds]);
		}
		const reactions = Math.floor(options.rate * 0.6 * (dt / 1000) + random());
		let reacted = 0;
		for (let i = 0; i < reactions; i++) {
			const chat = pickWeighted(random, chats);
			const target = chat.recent.length > 0 ? pick(random, chat.recent) : undefined;
			if (!target) continue;
			const key = keyFor(layout.reactions, {chat: chat.code, message: target.id});
			commands.push(['hincrby', key, pick(random, reactionNames), 1], ['expire', key, layout.ttlSeconds]);
			reacted++;
		}
		// the database has the messages now; a cache that is down is reported as such (the app runs without it)
		const cache = async <T>(fn: () => Promise<T>): Promise<T> => {
			try {
				return await fn();
			} catch (error) {
				throw new CacheError(`cache not updated: ${errorMessage(error)}`);
			}
		};
		if (doomed.length > 0) {
			const found = await cache(() => runCommands(deps.redis, doomed.map(d => ['zrangebyscore', keyFor(layout.messages, {chat: d.chat.code}), d.ms, d.ms] as const)));
			doomed.forEach((d, i) => {
				const members = ((found[i] as string[] | undefined) ?? []).filter(member => member.includes(d.id));
				if (members.length > 0) commands.push(['zrem', keyFor(layout.messages, {chat: d.chat.code}), ...members]);
				commands.push(['del', keyFor(layout.reactions, {chat: d.chat.code, message: d.id})]);
			});
		}
		if (commands.length > 0) {
			const results = await cache(() => runCommands(deps.redis, commands));
			for (const i of trims) tick.trimmed += Number(results[i] ?? 0);
			tick.reactions += reacted;
		}
	};

	while (!options.signal.aborted) {
		const now = Date.now();
		try {
			const outcome = await step(now, now - last);
			if (outcome !== 'done') {
				// nothing written: no burst of saved-up messages afterwards
				due = 0;
				tick.waiting = (tick.waiting ?? 0) + (outcome === 'wait' ? 1 : 0);
			}
			if (outcome === 'reload') {
				generation = await generationOf(deps);
				chats = await loadChats(deps, random);
			}
		} catch (error) {
			tick.errors++;
			tick.lastError = errorMessage(error);
			// a rolled-back step may have opened a chat in memory only: read the chats again next time
			if (!(error instanceof CacheError)) generation = undefined;
		}
		last = now;
		if (now - lastTick >= tickMs) {
			add(totals, tick);
			options.onTick?.(tick, totals);
			tick = emptyCounts();
			lastTick = now;
		}
		await sleep(Math.max(0, stepMs - (Date.now() - now)), options.signal);
	}
	add(totals, tick);
	return totals;
}
