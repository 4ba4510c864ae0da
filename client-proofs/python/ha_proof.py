"""redis-py's Sentinel client on an `ha` binding, given VCAP_SERVICES alone: counts until stopped, each INCR followed
by WAIT 1 1000 in one pipeline, with a pause of 10 ms after each attempt (one connection: acknowledged only once a replica has it); one line per attempt,
"count ok <epoch ms> <n>" or "count fail <epoch ms> <why>".

    VCAP_SERVICES=<as CF sets it> python3 ha_proof.py <service name> <key>
"""
import json
import os
import sys
import time

import redis
from redis.sentinel import Sentinel

service, key = sys.argv[1], sys.argv[2]
credentials = next(binding["credentials"] for bindings in json.loads(os.environ["VCAP_SERVICES"]).values()
                   for binding in bindings if binding["name"] == service)

# with tls: required the binding has ca_certificate and each Sentinel's tls_port: TLS to the Sentinels and to Redis,
# trusting that CA alone (docs/TLS.md); without it, plain as before
tls = {"ssl": True, "ssl_ca_data": credentials["ca_certificate"]} if "ca_certificate" in credentials else {}

# the README's configuration, as it is (and the TLS keys above)
sentinel = Sentinel([(s["host"], s.get("tls_port", s["port"])) for s in credentials["sentinels"]], socket_timeout=1,
                    sentinel_kwargs={"username": credentials["sentinel_username"],
                                     "password": credentials["sentinel_password"], "socket_timeout": 1, **tls},
                    **tls)
primary = sentinel.master_for(credentials["master_name"],
                              username=credentials["username"], password=credentials["password"], **tls)


def line(outcome, what):
    print("count %s %d %s" % (outcome, time.time() * 1000, what), flush=True)


def count():
    try:
        incremented, replicas = primary.pipeline(transaction=False).incr(key).execute_command("WAIT", 1, 1000).execute()
    except redis.RedisError as error:
        line("fail", "%s: %s" % (type(error).__name__, error))
        return
    if replicas >= 1:
        line("ok", incremented)
    else:
        line("fail", "WAIT: no replica acknowledged %d" % incremented)


# about 100 counts a second, every client of the proof alike
while True:
    count()
    time.sleep(0.01)
