"""Writes under load to an HA instance through its Sentinels, as an app with the binding's credentials would.

Each write is SET k<n> <n> followed by WAIT 1 <ms>: it counts as acknowledged only when a replica has it. Prints one
line per outcome, "<epoch seconds> ack <key>" or "<epoch seconds> fail", until the file named by STOP exists.
The binding's `sentinels` are where the Sentinels were at bind time: a node replaced on another agent comes back
at another address. So, as an app must when Sentinels move (unless its binding names them by Consul DNS, host style
consul-dns), after a failed write it asks Consul (`consul_url`, `consul_sentinel_service`, `consul_token`) where the
passing Sentinels are now and follows them.
Needs redis-py (Debian's python3-redis); the credentials come as JSON in CREDENTIALS.
"""
import json
import os
import sys
import time
import urllib.request

import redis
from redis.sentinel import Sentinel

credentials = json.loads(os.environ["CREDENTIALS"])
user, password = credentials["username"], credentials["password"]


def sentinels_now(known):
    """The passing Sentinels Consul lists, or those known when Consul does not answer or lists none."""
    url = "%s/v1/health/service/%s?passing" % (credentials["consul_url"].rstrip("/"),
                                                credentials["consul_sentinel_service"])
    headers = {"X-Consul-Token": credentials["consul_token"]} if "consul_token" in credentials else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=1) as answer:
            listed = sorted((entry["Service"]["Address"] or entry["Node"]["Address"], entry["Service"]["Port"])
                            for entry in json.load(answer))
    except (OSError, ValueError, KeyError):
        return known
    return listed or known


def primary_through(addresses):
    sentinel = Sentinel(addresses, socket_timeout=1,
                        sentinel_kwargs={"username": credentials["sentinel_username"],
                                         "password": credentials["sentinel_password"], "socket_timeout": 1})
    return sentinel.master_for(credentials["master_name"], username=user, password=password, socket_timeout=1)


addresses = sorted((s["host"], s["port"]) for s in credentials["sentinels"])
primary = primary_through(addresses)
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
    now = sentinels_now(addresses)
    if now != addresses:
        addresses = now
        primary = primary_through(addresses)
    time.sleep(0.05)
sys.exit(0)
