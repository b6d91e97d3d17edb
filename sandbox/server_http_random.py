"""Start the random API (HTTP 3003) as the course notebook does; it stops with its parent."""

import sys

from _launch import launch

if __name__ == "__main__":
    sys.exit(launch("random"))
