"""Writes under load to an HA instance through its Sentinels, as an app with the binding's credentials would.

Each write is SET k<n> <n> followed by WAIT 1 <ms>: it counts as acknowledged only when a replica has it. Prints one
line per outcome, "<epoch seconds> ack <key>" or "<epoch seconds> fail", until the file named by STOP exists.
Needs redis-py (Debian's python3-redis); the credentials come as JSON in CREDENTIALS.
"""
import json
import os
import sys
import time

import redis
from redis.sentinel import Sentinel

credentials = json.loads(os.environ["CREDENTIALS"])
user, password = credentials["username"], credentials["password"]
sentinel = Sentinel([(s["host"], s["port"]) for s in credentials["sentinels"]], socket_timeout=1,
                    sentinel_kwargs={"username": credentials["sentinel_username"],
                                     "password": credentials["sentinel_password"], "socket_timeout": 1})
primary = sentinel.master_for(credentials["master_name"], username=user, password=password, socket_timeout=1)
n = 0
while not os.path.exists(os.environ["STOP"]):
    n += 1
    key = "k%d" % n
    try:
        primary.set(key, n)
        if primary.execute_command("WAIT", 1, 1000) >= 1:
            print("%.3f ack %s" % (time.time(), key), flush=True)
            continue
    except redis.RedisError:
        pass
    print("%.3f fail" % time.time(), flush=True)
    time.sleep(0.05)
sys.exit(0)
