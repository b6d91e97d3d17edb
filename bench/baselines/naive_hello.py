"""hello written the naive way the course's servers are: a thread per connection, one recv(1024).

socketserver's defaults are kept (a listen backlog of 5) because that is what such a server
gets when written this way.
"""

from __future__ import annotations

import argparse
import socketserver


class HelloHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        message = self.request.recv(1024)
        self.request.sendall(b"data received by the server: " + message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), HelloHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
