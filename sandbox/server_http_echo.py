"""Start the echo service (HTTP 3002, an offline httpbin.org); it stops with its parent."""

import sys

from _launch import launch

if __name__ == "__main__":
    sys.exit(launch("echo"))
