"""redis-py with the binding's uri and nothing else: INCR the key, then GET it; prints both values.

    REDIS_URL=<the binding's uri> python3 proof.py <key>
"""
import os
import sys

import redis

key = sys.argv[1]
client = redis.from_url(os.environ["REDIS_URL"])
incremented = client.incr(key)
read = client.get(key)
print(incremented, read.decode())
client.close()
