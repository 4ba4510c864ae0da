// node-redis with the binding's uri and nothing else: INCR the key, then GET it; prints both values. With a
// rediss:// uri, REDIS_CA is the binding's ca_certificate: the only CA trusted (Node checks the host name).
//   REDIS_URL=<the binding's uri> [REDIS_CA=<the binding's ca_certificate>] node proof.mjs <key>
import { createClient } from 'redis';

const key = process.argv[2];
const client = createClient({
	url: process.env.REDIS_URL,
	...(process.env.REDIS_CA ? { socket: { tls: true, ca: process.env.REDIS_CA } } : {}),
});
// node-redis reports a lost connection as an 'error' event and reconnects; a one-shot proof fails instead
client.on('error', (error) => {
	console.error(`node-redis: ${error.message}`);
	process.exit(1);
});
await client.connect();
const incremented = await client.incr(key);
const read = await client.get(key);
console.log(`${incremented} ${read}`);
await client.close();
