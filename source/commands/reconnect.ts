// opsdeck reconnect postgres|redis: drop the connection, open a new one, say how it went.
import {startBackends} from '../backends/index.js';
import {reconnectBackend, reconnectMessage} from '../health/reconnect.js';
import {waitWhileConnecting} from '../health/wait.js';
import {sanitize} from '../text/sanitize.js';
import {print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	const [which, ...rest] = ctx.args;
	if ((which !== 'postgres' && which !== 'redis') || rest.length > 0) {
		throw new UsageError(`usage: opsdeck reconnect postgres|redis${which ? ` (got "${sanitize(ctx.args.join(' ')).slice(0, 40)}")` : ''}`);
	}
	await startBackends(ctx.backends);
	// let the first connection attempt finish: a socket dropped mid-connect leaves ioredis' connect
	// timer running and the command would hang on for seconds after it is done
	if (which === 'redis') await waitWhileConnecting(ctx.backends.redis.keeper, 3500);
	const result = await reconnectBackend(ctx.backends, which);
	if (ctx.flags.json) printJson(ctx, {backend: which, ...result});
	else print(ctx, `${which}: ${sanitize(reconnectMessage(result))}`);
	return result.ok ? 0 : 1;
}
