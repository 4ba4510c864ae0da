#!/usr/bin/env python3
"""A tiny stand-in for Consul's GET /v1/health/service/<name>?passing, for bench/measure.sh.

Answers in the shape of shared/fixtures/consul/health_service.response.json, pointing at one local
Redis, with X-Consul-Index; a blocking query (index >= current) hangs for its wait, as Consul does
when nothing changes. Usage: consul-standin.py <listen-port> <service> <redis-port>
"""
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LISTEN_PORT, SERVICE, REDIS_PORT = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
INDEX = 7
BODY = json.dumps([{
    "Node": {"ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "bench", "Address": "127.0.0.1",
             "Datacenter": "dc1", "TaggedAddresses": {"lan": "127.0.0.1", "wan": "127.0.0.1"}, "Meta": {}},
    "Service": {"ID": SERVICE, "Service": SERVICE, "Tags": ["marathon"], "Address": "127.0.0.1",
                "Meta": {}, "Port": REDIS_PORT, "Weights": {"Passing": 1, "Warning": 1}},
    "Checks": [{"Node": "bench", "CheckID": "serfHealth", "Name": "Serf Health Status", "Status": "passing",
                "Notes": "", "Output": "", "ServiceID": "", "ServiceName": "", "ServiceTags": []}],
}]).encode()


def seconds(wait):
    match = re.fullmatch(r"(\d+)(ms|s|m)?", wait or "")
    if not match:
        return 300.0
    value, unit = int(match.group(1)), match.group(2) or "s"
    return {"ms": value / 1000, "s": value, "m": value * 60}[unit]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/v1/health/service/" + SERVICE:
            self.send_error(404)
            return
        query = parse_qs(url.query, keep_blank_values=True)
        if "index" in query and int(query["index"][0]) >= INDEX:
            time.sleep(min(seconds(query.get("wait", ["5m"])[0]), 600))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Consul-Index", str(INDEX))
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", LISTEN_PORT), Handler).serve_forever()
