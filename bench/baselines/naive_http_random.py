"""The random API as a course would first write it: ``http.server``, one request at a time.

``GET /api/random/int?n=20`` answers a JSON list of ``n`` integers in [0, 100). Kept as
plain as a first version is: the default HTTP/1.0 handler (one request per connection),
the default listen backlog and one log line per request on stderr. ``--threading`` serves
each connection in its own thread (``ThreadingHTTPServer``), the usual next step.
"""

from __future__ import annotations

import argparse
import json
import random
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class RandomHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/api/random/int":
            self.send_error(404)
            return
        n = int(parse_qs(url.query).get("n", ["1"])[0])
        body = json.dumps([random.randrange(100) for _ in range(n)]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threading", action="store_true", help="one thread per connection")
    args = parser.parse_args()
    server_class = ThreadingHTTPServer if args.threading else HTTPServer
    with server_class(("127.0.0.1", args.port), RandomHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
