// Free TCP ports for servers a test starts itself.
import net from 'node:net';

/** A port that was free a moment ago (listen(0) on 127.0.0.1, then closed). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** A port with nothing listening on it: connections are refused at once. */
export const closedPort = freePort;
