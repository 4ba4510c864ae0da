"""redis-py with the binding's uri and nothing else: INCR the key, then GET it; prints both values. With a
rediss:// uri, REDIS_CA is the binding's ca_certificate: the only CA trusted, and the host name checked.

    REDIS_URL=<the binding's uri> [REDIS_CA=<the binding's ca_certificate>] python3 proof.py <key>
"""
import os
import sys

import redis

key = sys.argv[1]
tls = {}
if os.environ.get("REDIS_CA"):
    tls = {"ssl_ca_data": os.environ["REDIS_CA"], "ssl_cert_reqs": "required", "ssl_check_hostname": True}
client = redis.from_url(os.environ["REDIS_URL"], **tls)
incremented = client.incr(key)
read = client.get(key)
print(incremented, read.decode())
client.close()
