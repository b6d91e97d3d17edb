"""contacts written the naive way the course's servers are: one thread for everyone, one recv(1024).

Fast while every client sends its request at once; a single client that connects and sends
nothing blocks every other client until it goes away (the benchmark shows it).
"""

from __future__ import annotations

import argparse
import json
import socketserver

CONTACTS = {
    "Ada Lovelace": "ada@example.org",
    "Alan Turing": "alan@example.org",
}


class ContactsHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            request = json.loads(self.request.recv(1024))
        except ValueError:
            reply = {"status": False, "msg": "invalid JSON", "data": None}
        else:
            if request.get("cmd") == "list":
                reply = {"status": True, "msg": f"{len(CONTACTS)} contacts", "data": CONTACTS}
            else:
                reply = {"status": False, "msg": "unknown command", "data": None}
        self.request.sendall(json.dumps(reply).encode() + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    with socketserver.TCPServer(("127.0.0.1", port), ContactsHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
