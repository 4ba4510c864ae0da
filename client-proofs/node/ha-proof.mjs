// node-redis's Sentinel client on an `ha` binding, given VCAP_SERVICES alone: counts until stopped, each INCR followed
// by WAIT 1 1000 on one leased connection, with a pause of 10 ms after each attempt (acknowledged only once a replica has it); one line per attempt,
// "count ok <epoch ms> <n>" or "count fail <epoch ms> <why>".
//   VCAP_SERVICES=<as CF sets it> node ha-proof.mjs <service name> <key>
import { createSentinel } from 'redis';

const [service, key] = process.argv.slice(2);
const credentials = Object.values(JSON.parse(process.env.VCAP_SERVICES))
	.flat()
	.find((binding) => binding.name === service).credentials;

// with tls: required the binding has ca_certificate and each Sentinel's tls_port: TLS to the Sentinels and to Redis,
// trusting that CA alone (docs/TLS.md); without it, plain as before
const socket = credentials.ca_certificate ? { socket: { tls: true, ca: credentials.ca_certificate } } : {};

// the README's configuration, as it is (and the TLS options above)
const sentinel = createSentinel({
	name: credentials.master_name,
	sentinelRootNodes: credentials.sentinels.map(({ host, port, tls_port }) => ({ host, port: tls_port ?? port })),
	nodeClientOptions: { username: credentials.username, password: credentials.password, ...socket },
	sentinelClientOptions: {
		username: credentials.sentinel_username,
		password: credentials.sentinel_password,
		...socket
	}
});
// node-redis reports lost connections as 'error' events and reconnects by itself: logged, not fatal
sentinel.on('error', (error) => console.error(`node-redis: ${error.message}`));
await sentinel.connect();

const line = (outcome, what) => console.log(`count ${outcome} ${Date.now()} ${what}`);
// about 100 counts a second, every client of the proof alike
for (;;) {
	try {
		const [count, replicas] = await sentinel.use(async (client) => [await client.incr(key), await client.wait(1, 1000)]);
		if (replicas >= 1) {
			line('ok', count);
		} else {
			line('fail', `WAIT: no replica acknowledged ${count}`);
		}
	} catch (error) {
		line('fail', `${error.name}: ${error.message}`.replaceAll('\n', ' '));
	}
	await new Promise((resolve) => setTimeout(resolve, 10));
}
