// node-redis with the binding's uri and nothing else: INCR the key, then GET it; prints both values.
//   REDIS_URL=<the binding's uri> node proof.mjs <key>
import { createClient } from 'redis';

const key = process.argv[2];
const client = createClient({ url: process.env.REDIS_URL });
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
